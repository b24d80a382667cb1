import Foundation
import PythiaTestSupport
import NIOCore
import NIOPosix
import Synchronization

/// A raw HTTP server answering like FastAPI does to a bad WebSocket token: `403` to the
/// handshake, and `meStatus` to `GET /api/v1/auth/me`. (Hummingbird can only answer 400
/// to a refused upgrade, so this one writes its responses by hand.)
final class RefusingServer: TestFixture, Sendable {
    let port: Int
    private let channel: any Channel
    private let recorder: Recorder

    private init(port: Int, channel: any Channel, recorder: Recorder) {
        self.port = port
        self.channel = channel
        self.recorder = recorder
    }

    /// The request lines received, in order.
    var requests: [String] { recorder.lines.withLock { $0 } }

    static func start(meStatus: Int) async throws -> RefusingServer {
        let recorder = Recorder()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Responder(meStatus: meStatus, recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return RefusingServer(port: channel.localAddress?.port ?? 0, channel: channel, recorder: recorder)
    }

    func tearDown() async { await stop() }

    func stop() async {
        try? await channel.close()
    }

    final class Recorder: Sendable {
        let lines = Mutex<[String]>([])
        func record(_ line: String) { lines.withLock { $0.append(line) } }
    }

    private final class Responder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private let meStatus: Int
        private let recorder: Recorder
        private var received = ""

        init(meStatus: Int, recorder: Recorder) {
            self.meStatus = meStatus
            self.recorder = recorder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = Self.unwrapInboundIn(data)
            received += buffer.readString(length: buffer.readableBytes) ?? ""
            guard received.contains("\r\n\r\n") else { return }
            let requestLine = String(received.prefix { $0 != "\r" })
            recorder.record(requestLine)
            let (status, body): (String, String) = if requestLine.hasPrefix("GET /api/v1/auth/me") {
                meStatus == 200
                    ? ("200 OK", #"{"id": "u1", "username": "someone", "email": "s@example.com"}"#)
                    : ("401 Unauthorized", #"{"detail": "Could not validate credentials"}"#)
            } else {
                ("403 Forbidden", #"{"detail": "Not authenticated"}"#)
            }
            let response = "HTTP/1.1 \(status)\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)"
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}
