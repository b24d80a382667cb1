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

        let stalled = try RawWebSocket(port: server.server.port, token: bobToken)
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
        #expect(stalled.readsUntilClosed(), "the stalled socket is closed by the server")
        await reader.close()
    }
}

/// A WebSocket client on a bare socket that completes the handshake and then reads nothing.
final class RawWebSocket: @unchecked Sendable {
    private let fd: Int32

    init(port: Int, token: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var small: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ProbeTimeout(what: "a raw connection") }
        let request = "GET /ws?token=\(token) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        // Read only the handshake answer, then stop reading.
        var buffer = [UInt8](repeating: 0, count: 512)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let received = recv(fd, &buffer, 512, 0)
        guard received > 0, String(decoding: buffer[0..<received], as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
            throw ProbeTimeout(what: "the raw handshake")
        }
    }

    /// Drains the socket; `true` when the server closed it within 30 s.
    func readsUntilClosed() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let received = recv(fd, &buffer, buffer.count, 0)
            if received == 0 { return true }
            if received < 0 { return errno == ECONNRESET }
        }
        return false
    }

    deinit { close(fd) }
}
