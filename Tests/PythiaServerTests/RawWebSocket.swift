import Foundation
import PythiaTestSupport
#if canImport(Glibc)
import Glibc
#endif

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

    /// A bare TCP connection to the server that has sent `text` and stays open; the caller
    /// closes the descriptor.
    static func open(port: Int, sending text: String, receiveBuffer: Int32 = 65_536) throws -> Int32 {
        let fd = Loopback.tcpSocket()
        var size = receiveBuffer
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        guard Loopback.connect(fd, toPort: port) else {
            close(fd)
            throw ProbeTimeout(what: "a raw connection")
        }
        _ = text.withCString { send(fd, $0, strlen($0), 0) }
        return fd
    }

    private static func handshake(port: Int, query: String, receiveBuffer: Int32) throws -> (Int32, String) {
        let request = "GET /ws\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let fd = try open(port: port, sending: request, receiveBuffer: receiveBuffer)
        // Read only the handshake answer.
        var buffer = [UInt8](repeating: 0, count: 512)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let received = recv(fd, &buffer, 512, 0)
        guard received > 0 else { throw ProbeTimeout(what: "the handshake answer") }
        let text = String(decoding: buffer[0..<received], as: UTF8.self)
        return (fd, text.components(separatedBy: "\r\n").first ?? "")
    }

    /// Sends one masked frame as a client must.
    func sendFrame(opcode: UInt8, payload: [UInt8]) {
        precondition(payload.count < 126)
        let mask: [UInt8] = [1, 2, 3, 4]
        var frame: [UInt8] = [0x80 | opcode, 0x80 | UInt8(payload.count)] + mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        _ = send(fd, frame, frame.count, 0)
    }

    /// Shuts the sending side, as a peer that goes away without a close frame does.
    func shutdownOutput() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// The code of the first close frame the server sends (skipping other frames), if any.
    func closeCode() async -> UInt16? {
        try? await onOwnThread { self.readCloseCode() }
    }

    private func readCloseCode() -> UInt16? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let received = recv(fd, &buffer, buffer.count, 0)
            if received > 0 { bytes += buffer[0..<received] } else if received == 0 { break } else if errno != EAGAIN && errno != EINTR { break }
            // Unmasked server frames: walk them.
            var index = 0
            while index + 2 <= bytes.count {
                let opcode = bytes[index] & 0x0F
                var length = Int(bytes[index + 1] & 0x7F)
                var header = 2
                if length == 126 {
                    guard index + 4 <= bytes.count else { break }
                    length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
                    header = 4
                } else if length == 127 {
                    break
                }
                guard index + header + length <= bytes.count else { break }
                if opcode == 0x8, length >= 2 {
                    return UInt16(bytes[index + header]) << 8 | UInt16(bytes[index + header + 1])
                }
                index += header + length
            }
        }
        return nil
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
