import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import PythiaServer
import PythiaTestSupport
import PythiaProtocol
import Testing

/// The connection limits of API.md "Resource limits", played by peers on bare sockets. These
/// test real socket timing, so their waits are real (and short: the limits are shortened).
/// On SQLite only: they are about sockets and timers, the storage only registers a user, and
/// run on both storages they doubled the load their real-time margins are set for (two of
/// them failed on the whole suite's run that way, and pass alone).
@Suite("Connection limits")
struct ConnectionLimitTests {
    private static let health = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    @Test func aSocketThatSendsNothingIsClosedWithinTheHeadTimeout() async throws {
        try await withTestServer { $0.requestHeadTimeout = .milliseconds(300) } run: { server in
            let silent = try RawWebSocket.open(port: server.server.port, sending: "")
            defer { close(silent) }
            let closedAfter = try #require(await Self.timeUntilClosed(silent, within: .seconds(10)), "the silent socket stays open")
            #expect(closedAfter >= .milliseconds(250), "closed before its time: \(closedAfter)")
            #expect(try Self.dropped("request_head_timeout", server) == 1)
        }
    }

    @Test(arguments: [false, true])
    func aPeerThatTricklesItsHeadIsClosedWithinTheHeadTimeout(afterAFirstRequest: Bool) async throws {
        // 3 s: a machine under a CPU hog once took more than 1 s to read the first request,
        // sent whole, and the timeout closed it unanswered.
        try await withTestServer {
            $0.requestHeadTimeout = .seconds(3)
            $0.keepAliveTimeout = .seconds(30)
        } run: { server in
            let slow = try RawWebSocket.open(port: server.server.port, sending: afterAFirstRequest ? Self.health : "")
            defer { close(slow) }
            if afterAFirstRequest { #expect(try await Self.readResponse(slow).hasPrefix("HTTP/1.1 200")) }
            // One byte every 50 ms: the head would take 12 s, far past the timeout, and each byte
            // comes well within it. A timer restarted by every byte would never fire.
            let head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String(repeating: "X-Padding: slow\r\n", count: 12) + "\r\n"
            let closedAfter = try #require(await Self.trickle(head, to: slow, every: 0.05), "the trickling peer stays open")
            #expect(closedAfter < .seconds(9), "closed only after \(closedAfter)")
            #expect(try Self.dropped("request_head_timeout", server) == 1)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAndAnIdleWebSocketIsNot() async throws {
        // The head timeout is not what is tested here: long enough that a loaded machine reads
        // the request in time.
        try await withTestServer {
            $0.requestHeadTimeout = .seconds(5)
            $0.keepAliveTimeout = .milliseconds(500)
        } run: { server in
            // A token without HTTP: a pooled client connection idle past the 500 ms could be
            // closed by the server just as the client reuses it.
            let token = try await server.server.provisionLocalAccount(username: "alice").accessToken
            let socket = try await server.connect(token)
            try await socket.next("connection_established")
            // Timed from the request, not from reading the answer: a loaded machine may read the
            // answer late, and the server's idle time starts when it sent it.
            let requested = ContinuousClock.now
            let keepAlive = try RawWebSocket.open(port: server.server.port, sending: Self.health)
            defer { close(keepAlive) }
            #expect(try await Self.readResponse(keepAlive).hasPrefix("HTTP/1.1 200"))
            _ = try #require(await Self.timeUntilClosed(keepAlive, within: .seconds(10)), "the idle connection stays open")
            let closedAfter = ContinuousClock.now - requested
            #expect(closedAfter >= .milliseconds(400), "closed before its time: \(closedAfter)")
            // Idle for longer than both timeouts (and within its own ping rules): still served.
            try await Task.sleep(for: .seconds(1))
            try await socket.send(#"{"type":"ping"}"#)
            try await socket.next("pong")
            #expect(!socket.finished)
            #expect(try Self.dropped("keep_alive_timeout", server) >= 1)
            await socket.close()
        }
    }

    @Test func aFloodOfSilentSocketsLocksNobodyOut() async throws {
        let cap = 20
        try await withTestServer {
            $0.maxConnections = cap
            $0.requestHeadTimeout = .seconds(30)  // the flood must meet the cap, not the timeout
        } run: { server in
            let (_, token) = try await server.user("alice")
            let established = try await server.connect(token)
            try await established.next("connection_established")

            let flood = try (0..<(cap + 50)).map { _ in try RawWebSocket.open(port: server.server.port, sending: "") }
            defer { flood.forEach { close($0) } }
            #expect(try await Self.exchange(Self.health, port: server.server.port).hasPrefix("HTTP/1.1 200"))
            let login = #"{"username":"alice","password":"password-123"}"#
            let loginRequest = "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(login.utf8.count)\r\n\r\n\(login)"
            #expect(try await Self.exchange(loginRequest, port: server.server.port).hasPrefix("HTTP/1.1 200"))
            try await established.send(#"{"type":"ping"}"#)
            try await established.next("pong")

            var closedByServer = 0
            for fd in flood {
                if await Self.timeUntilClosed(fd, within: .milliseconds(20)) != nil { closedByServer += 1 }
            }
            #expect(closedByServer >= 50, "only \(closedByServer) silent sockets made room")
            let metrics = server.server.metricsExposition
            #expect(try Self.value(of: #"pythia_connections_dropped_total{reason="evicted"}"#, in: metrics) >= 50)
            #expect(try Self.value(of: "pythia_connections", in: metrics) <= Double(cap))
            await established.close()
        }
    }

    @Test func atTheCapWithNoSilentConnectionANewSocketIsClosedAtOnce() async throws {
        try await withTestServer {
            $0.maxConnections = 2
            $0.requestHeadTimeout = .seconds(30)
            $0.keepAliveTimeout = .milliseconds(200)
        } run: { server in
            // A token without HTTP: with a 200 ms keep-alive, a pooled client connection may be
            // closed by the server just as the client reuses it.
            let token = try await server.server.provisionLocalAccount(username: "alice").accessToken
            let first = try await server.connect(token)
            try await first.next("connection_established")
            let second = try await server.connect(token)
            try await second.next("connection_established")
            let refused = try RawWebSocket.open(port: server.server.port, sending: "")
            defer { close(refused) }
            // At once: far sooner than the 30 s head timeout, with room for a loaded machine.
            let closedAfter = try #require(await Self.timeUntilClosed(refused, within: .seconds(20)), "the socket over the cap stays open")
            #expect(closedAfter < .seconds(10))
            try await second.send(#"{"type":"ping"}"#)
            try await second.next("pong")
            await second.close()
            // The closed WebSocket's place is free again (its close is seen by the server a moment later).
            var metrics = ""
            for _ in 0..<50 where !metrics.hasPrefix("HTTP/1.1 200") {
                metrics = (try? await Self.exchange("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", port: server.server.port)) ?? ""
                // Polls: the server sees the close, and frees the place, on its own event loop.
                if !metrics.hasPrefix("HTTP/1.1 200") { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(try Self.value(of: #"pythia_connections_dropped_total{reason="refused"}"#, in: metrics) >= 1)
            await first.close()
        }
    }

    /// Limits of 3 connections, and 6 connected channels to admit.
    private static func threeOfSix() throws -> (ConnectionLimits, [EmbeddedChannel]) {
        var configuration = ServerConfiguration(databasePath: "/nonexistent/chat.sqlite")
        configuration.maxConnections = 3
        let channels = try (0..<6).map { _ in
            let channel = EmbeddedChannel()
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            return channel
        }
        return (ConnectionLimits(configuration, metrics: ServerMetrics()), channels)
    }

    @Test func atTheCapTheOldestSilentConnectionMakesRoomAndAClosedOneGivesItsPlaceBack() throws {
        let (limits, channels) = try Self.threeOfSix()
        let first = try #require(limits.admit(channels[0]))
        _ = try #require(limits.admit(channels[1]))
        let third = try #require(limits.admit(channels[2]))
        limits.requestReceived(first)
        let fourth = try #require(limits.admit(channels[3]))
        #expect(channels.prefix(4).map(\.isActive) == [true, false, true, true], "the second, the oldest silent one, made room")
        limits.requestReceived(third)
        limits.requestReceived(fourth)
        #expect(limits.admit(channels[4]) == nil, "no silent connection left: refused")
        #expect(!channels[4].isActive)
        try channels[0].close().wait()
        channels[0].embeddedEventLoop.run()  // its close callbacks
        #expect(limits.admit(channels[5]) != nil, "a closed connection gave its place back")
        #expect(channels[5].isActive && channels[2].isActive && channels[3].isActive)
    }

    /// Connections are set up on two event loops, so they can be admitted out of the order
    /// they were accepted in. A burst of silent ones accepted before a real client, but admitted
    /// after it, must evict each other, not the client (under a CPU hog on both cores, the
    /// flood test above lost its `/health` request this way, before accepts were ordered).
    @Test func admissionsOutOfAcceptOrderEvictTheOldestAcceptedFirst() throws {
        let (limits, channels) = try Self.threeOfSix()
        // Accepted 0…5, the last being the client; 0, 1 and the client reach their loop first.
        for channel in channels { limits.accepted(channel) }
        for index in [0, 1, 5, 2, 3, 4] { _ = limits.admit(channels[index]) }
        #expect(channels.map(\.isActive) == [false, false, false, true, true, true], "the client and the two accepted just before it stay")
        // Admissions overtaken by several at once: 0 goes back past 3 and 4, then 1 likewise.
        let (others, sockets) = try Self.threeOfSix()
        for socket in sockets { others.accepted(socket) }
        for index in [2, 3, 4, 0, 1, 5] { _ = others.admit(sockets[index]) }
        #expect(sockets.map(\.isActive) == [false, false, false, true, true, true], "2, then 0, then 1 made room, oldest accepted first")
    }

    @Test func theServeFlagsSetTheLimits() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let running = try await ServeProcess.start(
            database: directory.appendingPathComponent("chat.sqlite").path,
            arguments: ["--request-head-timeout", "1s", "--keep-alive-timeout", "1m", "--max-connections", "100"])
        let silent = try RawWebSocket.open(port: running.port, sending: "")
        defer { close(silent) }
        let closedAfter = try #require(await Self.timeUntilClosed(silent, within: .seconds(10)), "the silent socket stays open")
        #expect(closedAfter >= .milliseconds(900) && closedAfter < .seconds(5), "closed after \(closedAfter)")
        running.kill()
        for wrong in [["--max-connections", "0"], ["--request-head-timeout", "0s"], ["--keep-alive-timeout", "soon"]] {
            #expect(try await ServeProcess.runToEnd(["--serve", "--port", "0"] + wrong).status != 0, "\(wrong)")
        }
    }

    // MARK: Peers on bare sockets

    /// How long until the server closes `fd` (reading and discarding what it sends), or `nil`
    /// when it is still open after `limit`.
    private static func timeUntilClosed(_ fd: Int32, within limit: Duration) async -> Duration? {
        let closedAfter = try? await onOwnThread { () -> Duration? in
            let start = ContinuousClock.now
            var timeout = timeval(tv_sec: 0, tv_usec: 10_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 4096)
            repeat {
                let received = recv(fd, &buffer, buffer.count, 0)
                if received == 0 || (received < 0 && errno == ECONNRESET) { return ContinuousClock.now - start }
            } while ContinuousClock.now - start < limit
            return nil
        }
        return closedAfter ?? nil
    }

    /// Sends `text` to `fd` a byte at a time, every `interval`, until the server closes the
    /// connection; how long that took, or `nil` when all was sent and it is still open.
    private static func trickle(_ text: String, to fd: Int32, every interval: TimeInterval) async -> Duration? {
        let closedAfter = try? await onOwnThread { () -> Duration? in
            let start = ContinuousClock.now
            var probe = [UInt8](repeating: 0, count: 1)
            for byte in Array(text.utf8) {
                if send(fd, [byte], 1, Int32(MSG_NOSIGNAL)) < 0 { return ContinuousClock.now - start }
                let received = recv(fd, &probe, 1, Int32(MSG_DONTWAIT))
                if received == 0 || (received < 0 && errno == ECONNRESET) { return ContinuousClock.now - start }
                Thread.sleep(forTimeInterval: interval)
            }
            return nil
        }
        return closedAfter ?? nil
    }

    /// Reads one response with a `Content-Length` from `fd`; the whole of it, as text.
    private static func readResponse(_ fd: Int32) async throws -> String {
        try await onOwnThread {
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let text = String(decoding: bytes, as: UTF8.self)
                if let headEnd = text.range(of: "\r\n\r\n") {
                    let length = text[..<headEnd.lowerBound].split(separator: "\r\n")
                        .first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                    if text.utf8.count - text.utf8.distance(from: text.startIndex, to: headEnd.upperBound) >= length { return text }
                }
                let received = recv(fd, &buffer, buffer.count, 0)
                guard received > 0 else { throw ProbeTimeout(what: "a whole response") }
                bytes += buffer[0..<received]
            }
        }
    }

    /// One request on a new connection; the whole response.
    private static func exchange(_ request: String, port: Int) async throws -> String {
        let fd = try RawWebSocket.open(port: port, sending: request)
        defer { close(fd) }
        return try await readResponse(fd)
    }

    /// How many connections `/metrics` says were dropped for `reason`, read in process: a
    /// `/metrics` request would be a connection of its own, which the shortened head timeout
    /// closes when a loaded machine reads its head late.
    private static func dropped(_ reason: String, _ server: TestServer) throws -> Double {
        try value(of: #"pythia_connections_dropped_total{reason="\#(reason)"}"#, in: server.server.metricsExposition)
    }

    /// The value of the metric line that starts with `name` and a space.
    private static func value(of name: String, in metrics: String) throws -> Double {
        let line = try #require(metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }, "\(name) in /metrics")
        return try #require(Double(line.dropFirst(name.count + 1)))
    }
}
