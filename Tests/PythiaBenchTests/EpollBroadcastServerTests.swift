import AsyncHTTPClient
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

@testable import pythia_bench

/// The bare epoll floor against real clients: Hummingbird's WebSocket client subscribes,
/// AsyncHTTPClient publishes, as the benchmark's load does.
@Suite(.timeLimit(.minutes(2))) struct EpollBroadcastServerTests {
    @Test func aPublishReachesEverySubscriberOfItsChannelAndNoOther() async throws {
        let server = try EpollBroadcastServer.start(backlog: 64)
        let first = try await Subscriber.connect(port: server.port, channel: 1)
        let second = try await Subscriber.connect(port: server.port, channel: 1)
        let elsewhere = try await Subscriber.connect(port: server.port, channel: 2)

        #expect(try await publish("hello, channel 1", to: 1, port: server.port) == 204)
        #expect(try await publish("for channel 2", to: 2, port: server.port) == 204)

        await first.waitFor(count: 1)
        await second.waitFor(count: 1)
        await elsewhere.waitFor(count: 1)
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

        await subscriber.waitFor(count: 1)
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

    @Test func aSubscriberThatNeverReadsIsLetGoAndTheOthersStillHearEverything() async throws {
        // 256 KiB waiting past the kernel's buffers, whose receiving side the stalled peer
        // keeps small: a few megabytes of publishes reach the limit.
        let server = try EpollBroadcastServer.start(backlog: 64, largestBacklog: 256 << 10)
        let stalled = try RawSubscriber(port: server.port, channel: 5)
        let reader = try await Subscriber.connect(port: server.port, channel: 5)
        let body = String(repeating: "x", count: 65_536)
        let publishes = 96
        for _ in 0..<publishes {
            #expect(try await publish(body, to: 5, port: server.port) == 204)
        }
        await reader.waitFor(count: publishes)
        #expect(reader.texts.count == publishes)
        // The server shut the stalled socket: reading it ends, short of everything published.
        let received = try stalled.readToEnd()
        #expect(received < publishes * 65_536)
        try await reader.close()
        await server.stop()
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
///
/// It waits on what happens to it rather than polling a clock: a test of the whole suite
/// may wait seconds for a thread, and the suite's time limit catches a hang.
private final class Subscriber: Sendable {
    private struct State {
        var texts: [String] = []
        var writer: WebSocketOutboundWriter?
        var opened: CheckedContinuation<Void, any Error>?
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var ended = false
    }

    /// The connection ended before its upgrade, without an error of its own.
    struct EndedBeforeOpening: Error {}

    private let state = Mutex(State())
    private let session = Mutex<Task<WebSocketCloseFrame?, any Error>?>(nil)

    var texts: [String] { state.withLock { $0.texts } }

    /// Opens `/ws?channel=N`; returns once the upgrade is done, or throws why it failed.
    static func connect(port: Int, channel: Int) async throws -> Subscriber {
        let subscriber = Subscriber()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            subscriber.state.withLock { $0.opened = continuation }
            let task = Task {
                do {
                    let close = try await WebSocketClient.connect(
                        url: "ws://127.0.0.1:\(port)/ws?channel=\(channel)",
                        configuration: .init(maxFrameSize: 1 << 17), logger: Logger(label: "subscriber")
                    ) { inbound, outbound, _ in
                        subscriber.state.withLock { state in
                            state.writer = outbound
                            return state.opened.take()
                        }?.resume()
                        for try await message in inbound.messages(maxSize: 1 << 17) {
                            if case .text(let text) = message { subscriber.received(text) }
                        }
                    }
                    subscriber.ended(EndedBeforeOpening())
                    return close
                } catch {
                    subscriber.ended(error)
                    throw error
                }
            }
            subscriber.session.withLock { $0 = task }
        }
        return subscriber
    }

    private func received(_ text: String) {
        let satisfied = state.withLock { state in
            state.texts.append(text)
            let count = state.texts.count
            defer { state.waiters.removeAll { $0.count <= count } }
            return state.waiters.filter { $0.count <= count }.map(\.continuation)
        }
        for waiter in satisfied { waiter.resume() }
    }

    private func ended(_ error: any Error) {
        let (opened, waiters) = state.withLock { state in
            state.ended = true
            defer { state.waiters = [] }
            return (state.opened.take(), state.waiters.map(\.continuation))
        }
        opened?.resume(throwing: error)
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once `count` text frames have arrived, or the connection has ended.
    func waitFor(count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                guard state.texts.count < count, !state.ended else { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Sends the client's close; returns the server's answer once the connection has ended.
    @discardableResult
    func close() async throws -> WebSocketCloseFrame? {
        try await state.withLock { $0.writer }?.close(.normalClosure, reason: nil)
        return try await session.withLock { $0 }?.value
    }
}

/// A subscriber on a plain blocking socket, which reads only when told to.
private struct RawSubscriber {
    let fd: Int32

    /// Connects and upgrades to `/ws?channel=N`, reading the 101 and nothing more.
    init(port: Int, channel: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        // A small receive window: the server's writes stop at the kernel soon.
        var window: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &window, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RawSocketError.failed("connect") }
        // Ten seconds at most for any read: a socket the server never shuts fails the test.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET /ws?channel=\(channel) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        guard Array(request.utf8).withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == request.utf8.count else {
            throw RawSocketError.failed("write")
        }
        var response: [UInt8] = []
        var byte: UInt8 = 0
        while !response.suffix(4).elementsEqual([13, 10, 13, 10]) {
            guard Glibc.read(fd, &byte, 1) == 1 else { throw RawSocketError.failed("read the 101") }
            response.append(byte)
        }
        guard String(decoding: response, as: UTF8.self).hasPrefix("HTTP/1.1 101") else { throw RawSocketError.failed("upgrade") }
    }

    /// Reads until the server shuts the socket; the bytes read.
    func readToEnd() throws -> Int {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return total }
            if count < 0 {
                if errno == ECONNRESET { return total }
                throw RawSocketError.failed("read: \(String(cString: strerror(errno)))")
            }
            total += count
        }
    }
}

private enum RawSocketError: Error {
    case failed(String)
}
