import Foundation
import PythiaTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A WebSocket client on a bare socket that completes the handshake and then does only what
/// a test tells it: any frame, well-formed or not, and reading only when asked (so it can
/// play a peer that never reads).
final class RawWebSocket: @unchecked Sendable {
    /// One frame from the server.
    struct Frame: Equatable {
        let fin: Bool
        let opcode: UInt8
        let payload: [UInt8]

        /// The code of a close frame (`nil` for an empty one).
        var closeCode: UInt16? {
            payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
        }
    }

    private let fd: Int32
    /// Bytes read but not yet taken as frames (only touched by one reading thread at a time).
    private var received: [UInt8]

    private init(fd: Int32, received: [UInt8]) {
        self.fd = fd
        self.received = received
    }

    /// Connects and completes the handshake; `receiveBuffer` sets `SO_RCVBUF` before connecting
    /// (a tiny one, never read, makes a zero-window peer).
    static func connect(port: Int, token: String, receiveBuffer: Int32 = 4096) async throws -> RawWebSocket {
        let (fd, statusLine, rest) = try await onOwnThread { try handshake(port: port, query: "?token=\(token)", receiveBuffer: receiveBuffer) }
        guard statusLine.hasPrefix("HTTP/1.1 101") else { throw ProbeTimeout(what: "the raw handshake") }
        return RawWebSocket(fd: fd, received: rest)
    }

    /// The status line a handshake to `/ws` + `query` gets.
    static func statusLine(port: Int, query: String) async throws -> String {
        try await onOwnThread {
            let (fd, statusLine, _) = try handshake(port: port, query: query, receiveBuffer: 65_536)
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
        _ = text.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        return fd
    }

    private static func handshake(port: Int, query: String, receiveBuffer: Int32) throws -> (Int32, String, [UInt8]) {
        let request = "GET /ws\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let fd = try open(port: port, sending: request, receiveBuffer: receiveBuffer)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // Read the handshake answer; bytes after it are the first frames.
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while bytes.firstRange(of: end) == nil {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else {
                if bytes.isEmpty { throw ProbeTimeout(what: "the handshake answer") }
                break
            }
            bytes += buffer[0..<count]
        }
        let headEnd = bytes.firstRange(of: end)?.upperBound ?? bytes.count
        let text = String(decoding: bytes[0..<headEnd], as: UTF8.self)
        return (fd, text.components(separatedBy: "\r\n").first ?? "", Array(bytes[headEnd...]))
    }

    // MARK: Sending

    /// Sends one frame; masked (as a client must) unless `masked` is `false`. `rsv` is the
    /// three reserved bits (0–7). `false` when the socket no longer takes it.
    @discardableResult
    func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0, masked: Bool = true) -> Bool {
        sendRaw(Self.frame(opcode: opcode, payload: payload, fin: fin, rsv: rsv, masked: masked))
    }

    /// A client frame's bytes.
    static func frame(opcode: UInt8, payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0, masked: Bool = true) -> [UInt8] {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0x0F)]
        let maskBit: UInt8 = masked ? 0x80 : 0
        switch payload.count {
        case ..<126:
            frame.append(maskBit | UInt8(payload.count))
        case ...65_535:
            frame += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            frame.append(maskBit | 127)
            frame += (0..<8).reversed().map { UInt8((UInt64(payload.count) >> (8 * UInt64($0))) & 0xFF) }
        }
        guard masked else { return frame + payload }
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }

    /// Sends `bytes` as they are (blocking until the socket takes them); `false` when the
    /// socket no longer takes them (the server closed it).
    @discardableResult
    func sendRaw(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// Shuts the sending side, as a peer that goes away without a close frame does.
    func shutdownOutput() {
        shutdown(fd, Int32(SHUT_WR))
    }

    // MARK: Reading

    /// The next frame from the server within 10 s; `nil` when the socket closed or nothing came.
    func nextFrame() async -> Frame? {
        try? await onOwnThread { self.readFrame() }
    }

    /// The next frame that is not one of the server's keep-alive pings.
    func nextFrameSkippingPings() async -> Frame? {
        while let frame = await nextFrame() {
            if frame.opcode != 0x9 { return frame }
        }
        return nil
    }

    /// The next frame with `opcode`, skipping others.
    func next(opcode: UInt8) async -> Frame? {
        while let frame = await nextFrame() {
            if frame.opcode == opcode { return frame }
        }
        return nil
    }

    /// Pings the server and reads up to its pong, skipping other frames: `true` once the server
    /// has handled every frame sent before and is still answering.
    func barrier() async -> Bool {
        let payload = Array("barrier".utf8)
        guard sendFrame(opcode: 0x9, payload: payload) else { return false }
        while let frame = await next(opcode: 0xA) {
            if frame.payload == payload { return true }
        }
        return false
    }

    /// The code of the first close frame the server sends (skipping other frames), if any.
    func closeCode() async -> UInt16? {
        try? await onOwnThread {
            while let frame = self.readFrame() {
                if frame.opcode == 0x8 { return frame.closeCode }
            }
            return nil
        }
    }

    private func readFrame() -> Frame? {
        let deadline = Date().addingTimeInterval(10)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let frame = takeFrame() { return frame }
            guard Date() < deadline else { return nil }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                return nil
            }
        }
    }

    /// A whole frame from the start of `received`, if there is one (server frames are unmasked).
    private func takeFrame() -> Frame? {
        guard received.count >= 2 else { return nil }
        var length = Int(received[1] & 0x7F)
        var header = 2
        if length == 126 {
            guard received.count >= 4 else { return nil }
            length = Int(received[2]) << 8 | Int(received[3])
            header = 4
        } else if length == 127 {
            guard received.count >= 10 else { return nil }
            length = received[2..<10].reduce(0) { $0 << 8 | Int($1) }
            header = 10
        }
        guard received.count >= header + length else { return nil }
        let frame = Frame(fin: received[0] & 0x80 != 0, opcode: received[0] & 0x0F, payload: Array(received[header..<header + length]))
        received.removeFirst(header + length)
        return frame
    }

    /// Drains the socket; `true` when the server closed it within 30 s.
    func readsUntilClosed() async -> Bool {
        (try? await onOwnThread { self.drain() }) ?? false
    }

    private func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return errno == ECONNRESET
            }
        }
        return false
    }

    deinit { close(fd) }
}
