import AsyncHTTPClient
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization
import Testing

@testable import pythia_bench

/// The bare epoll floor against real clients: Hummingbird's WebSocket client subscribes,
/// AsyncHTTPClient publishes, as the benchmark's load does.
@Suite struct EpollBroadcastServerTests {
    @Test func aPublishReachesEverySubscriberOfItsChannelAndNoOther() async throws {
        let server = try EpollBroadcastServer.start(backlog: 64)
        let first = try await Subscriber.connect(port: server.port, channel: 1)
        let second = try await Subscriber.connect(port: server.port, channel: 1)
        let elsewhere = try await Subscriber.connect(port: server.port, channel: 2)

        #expect(try await publish("hello, channel 1", to: 1, port: server.port) == 204)
        #expect(try await publish("for channel 2", to: 2, port: server.port) == 204)

        try await first.waitFor(count: 1)
        try await second.waitFor(count: 1)
        try await elsewhere.waitFor(count: 1)
        // Each publish was written to its subscribers before it was answered.
        #expect(first.texts == ["hello, channel 1"])
        #expect(second.texts == ["hello, channel 1"])
        #expect(elsewhere.texts == ["for channel 2"])
        for subscriber in [first, second, elsewhere] { try await subscriber.close() }
        await server.stop()
    }

    @Test(arguments: [125, 126, 65_535, 65_536])
    func aBodyOfAnyAllowedSizeArrivesWhole(size: Int) async throws {
        let server = try EpollBroadcastServer.start(backlog: 64)
        let subscriber = try await Subscriber.connect(port: server.port, channel: 7)
        let body = String((0..<size).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })

        #expect(try await publish(body, to: 7, port: server.port) == 204)

        try await subscriber.waitFor(count: 1)
        #expect(subscriber.texts == [body])
        try await subscriber.close()
        await server.stop()
    }

    @Test func requestsItDoesNotServeAreRefused() async throws {
        let server = try EpollBroadcastServer.start(backlog: 64)
        let base = "http://127.0.0.1:\(server.port)"
        #expect(try await status(of: HTTPClientRequest(url: "\(base)/publish")) == 400)
        #expect(try await status(of: HTTPClientRequest(url: "\(base)/elsewhere?channel=1")) == 404)
        var tooLarge = HTTPClientRequest(url: "\(base)/publish?channel=1")
        tooLarge.method = .POST
        tooLarge.body = .bytes(ByteBuffer(repeating: 0x61, count: 65_537))
        #expect(try await status(of: tooLarge) == 400)
        // A refused request closes its connection, not the server.
        #expect(try await publish("still serving", to: 1, port: server.port) == 204)
        await server.stop()
    }

    @Test func aSubscribersCloseIsAnsweredAndStopReleasesThePort() async throws {
        let server = try EpollBroadcastServer.start(backlog: 64)
        let subscriber = try await Subscriber.connect(port: server.port, channel: 3)
        let answer = try await subscriber.close()
        #expect(answer?.closeCode == .normalClosure)

        await server.stop()
        // A plain connect: AsyncHTTPClient would retry a refused one until its deadline.
        await #expect(throws: (any Error).self) {
            try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: server.port).get()
        }
    }

    // MARK: Clients

    private func publish(_ text: String, to channel: Int, port: Int) async throws -> UInt {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/publish?channel=\(channel)")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: text))
        return try await status(of: request)
    }

    private func status(of request: HTTPClientRequest) async throws -> UInt {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code
    }
}

/// A WebSocket subscriber of one channel that keeps the text frames it receives.
private final class Subscriber: Sendable {
    private let received = Mutex<[String]>([])
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let session = Mutex<Task<WebSocketCloseFrame?, any Error>?>(nil)

    var texts: [String] { received.withLock { $0 } }

    /// Opens `/ws?channel=N`; returns once the upgrade is done.
    static func connect(port: Int, channel: Int) async throws -> Subscriber {
        let subscriber = Subscriber()
        let task = Task {
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/ws?channel=\(channel)",
                configuration: .init(maxFrameSize: 1 << 17), logger: Logger(label: "subscriber")
            ) { inbound, outbound, _ in
                subscriber.writer.withLock { $0 = outbound }
                for try await message in inbound.messages(maxSize: 1 << 17) {
                    if case .text(let text) = message { subscriber.received.withLock { $0.append(text) } }
                }
            }
        }
        subscriber.session.withLock { $0 = task }
        let deadline = ContinuousClock.now + .seconds(10)
        while subscriber.writer.withLock({ $0 == nil }) {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            // A refused upgrade ends the task: its error is the test's.
            if task.isCancelled { _ = try await task.value }
            try await Task.sleep(for: .milliseconds(5))
        }
        return subscriber
    }

    /// Waits up to 10 s for `count` text frames.
    func waitFor(count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while texts.count < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(texts.count) of \(count) frames within 10 s")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Sends the client's close; returns the server's answer once the connection has ended.
    @discardableResult
    func close() async throws -> WebSocketCloseFrame? {
        try await writer.withLock { $0 }?.close(.normalClosure, reason: nil)
        return try await session.withLock { $0 }?.value
    }
}
