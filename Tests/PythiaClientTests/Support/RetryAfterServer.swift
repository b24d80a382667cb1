import Foundation
import PythiaTestSupport
import NIOCore
import NIOPosix

/// A raw HTTP server that answers every request `429` with a `Retry-After` of any text, as
/// a faulty or hostile server might.
final class RetryAfterServer: TestFixture, Sendable {
    let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    static func start(retryAfter: String) async throws -> RetryAfterServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Responder(retryAfter: retryAfter))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return RetryAfterServer(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    func tearDown() async { await stop() }

    func stop() async {
        try? await channel.close()
    }

    private final class Responder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private let retryAfter: String
        private var received = ""

        init(retryAfter: String) { self.retryAfter = retryAfter }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = Self.unwrapInboundIn(data)
            received += buffer.readString(length: buffer.readableBytes) ?? ""
            guard received.contains("\r\n\r\n") else { return }
            let body = #"{"detail": "slow down", "code": "rate_limited"}"#
            let response = "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nretry-after: \(retryAfter)\r\n"
                + "content-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)"
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}
