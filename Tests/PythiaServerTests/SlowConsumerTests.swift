import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOHTTP1
import PythiaProtocol
@testable import PythiaServer
import Testing

@Suite("Fan-out")
struct SlowConsumerTests {
    @Test func aConsumerThatStopsReadingIsDroppedWithoutDelayingOthers() async throws {
        let server = try await TestServer.start {
            $0.outboundQueueLimit = 16
            $0.restWriteRate = RateLimit(perSecond: 100_000, burst: 100_000)
        }
        defer { Task { await server.stop() } }
        let (_, aliceToken) = try await server.user("alice")
        let (_, bobToken) = try await server.user("bob")
        let general = try await server.channel("general", token: aliceToken)
        _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)

        let stalled = try await RawWebSocket.connect(port: server.server.port, token: bobToken)
        let reader = try await server.connect(aliceToken)
        try await reader.next("connection_established")
        try await Task.sleep(for: .milliseconds(200))

        let content = String(repeating: "x", count: 4000)
        let count = 1500
        for _ in 0..<count {
            #expect(try await server.post(content, in: general.id, token: aliceToken).status == 201)
        }
        try await reader.next("new_message", count: count)
        #expect(reader.frames(ofType: "new_message").count == count)
        let metrics = try await server.request(.GET, "/metrics").text
        #expect(metrics.contains("pythia_slow_consumers_dropped_total 1"))
        #expect(await stalled.readsUntilClosed(), "the stalled socket is closed by the server")
        await reader.close()
    }
}

/// A WebSocket client on a bare socket that completes the handshake and then reads nothing.
final class RawWebSocket: @unchecked Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Connects and completes the handshake.
    static func connect(port: Int, token: String) async throws -> RawWebSocket {
        let (fd, statusLine) = try await onOwnThread { try handshake(port: port, query: "?token=\(token)", receiveBuffer: 4096) }
        guard statusLine.hasPrefix("HTTP/1.1 101") else { throw ProbeTimeout(what: "the raw handshake") }
        return RawWebSocket(fd: fd)
    }

    /// The status line a handshake to `/ws` + `query` gets.
    static func statusLine(port: Int, query: String) async throws -> String {
        try await onOwnThread {
            let (fd, statusLine) = try handshake(port: port, query: query, receiveBuffer: 65_536)
            close(fd)
            return statusLine
        }
    }

    private static func handshake(port: Int, query: String, receiveBuffer: Int32) throws -> (Int32, String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var size = receiveBuffer
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ProbeTimeout(what: "a raw connection") }
        let request = "GET /ws\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        // Read only the handshake answer.
        var buffer = [UInt8](repeating: 0, count: 512)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let received = recv(fd, &buffer, 512, 0)
        guard received > 0 else { throw ProbeTimeout(what: "the handshake answer") }
        let text = String(decoding: buffer[0..<received], as: UTF8.self)
        return (fd, text.components(separatedBy: "\r\n").first ?? "")
    }

    /// Drains the socket; `true` when the server closed it within 30 s.
    func readsUntilClosed() async -> Bool {
        (try? await onOwnThread { self.drain() }) ?? false
    }

    private func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let received = recv(fd, &buffer, buffer.count, 0)
            if received == 0 { return true }
            if received < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return errno == ECONNRESET
            }
        }
        return false
    }

    deinit { close(fd) }
}

@Suite("Keep-alive")
struct KeepAliveTests {
    @Test func aPeerThatAnswersNoPingIsClosedAndOneThatDoesStays() async throws {
        let server = try await TestServer.start { $0.pingInterval = .milliseconds(300) }
        defer { Task { await server.stop() } }
        let (_, token) = try await server.user("alice")
        let silent = try await RawWebSocket.connect(port: server.server.port, token: token)
        let answering = try await server.connect(token)
        try await answering.next("connection_established")
        #expect(await silent.readsUntilClosed(), "a peer that never answers pings is closed")
        try await answering.send(#"{"type":"ping"}"#)
        try await answering.next("pong")
        #expect(!answering.finished)
        await answering.close()
    }
}
