import NIOCore
import NIOWebSocket
import PythiaProtocol

/// Reads a client's WebSocket messages from the bytes off its socket (RFC 6455 §5): whole
/// text and binary messages, their fragments joined, and the control frames, which may come
/// between fragments.
///
/// It does what NIO's frame decoder (frames of up to `Limits.maxPayloadBytes`), protocol error
/// handler and frame aggregator (no minimum fragment size, at most 4096 fragments and
/// `Limits.maxPayloadBytes` in all) did as pipeline handlers of their own, in the same order,
/// and fails a frame that RFC 6455 forbids and the decoder let through: one without a mask
/// (§5.1), with reserved bits set (§5.2: no extension is negotiated) or with a reserved
/// opcode. One value in the socket's ``ChatSocketHandler`` instead of four handlers and their
/// contexts keeps an idle connection small: between reads it holds no buffer.
struct ClientMessageReader {
    /// A whole message or a control frame, its payload unmasked.
    enum Message: Equatable {
        case text(ByteBuffer)
        case binary
        case ping(ByteBuffer)
        case pong(ByteBuffer)
        case close(ByteBuffer)
    }

    /// What the peer sent wrong.
    enum Failure: Error, Equatable {
        /// A frame the decoder cannot take (over the frame size, or a fragmented or long control
        /// frame): nothing more is read, and its close goes out at once.
        case undecodable(WebSocketErrorCode)
        /// A frame RFC 6455 forbids (unmasked, reserved bits or opcode): nothing more is read.
        case forbidden
        /// A broken fragment sequence (1002) or a message over the size (1009): the fragments
        /// so far are dropped, and reading goes on.
        case invalidMessage(WebSocketErrorCode)

        /// The close code the peer is answered with.
        var closeCode: WebSocketErrorCode {
            switch self {
            case .undecodable(let code), .invalidMessage(let code): code
            case .forbidden: .protocolError
            }
        }
    }

    /// Most fragments in one message (NIO's aggregator as the server set it up).
    static let maxFragments = 4096
    /// The largest frame, and the largest message.
    static let maxSize = Limits.maxPayloadBytes

    /// Bytes read and not yet a whole frame; `nil` when there are none.
    private var unread: ByteBuffer?
    /// The opcode and payload so far of a fragmented message.
    private var fragments: (opcode: WebSocketOpcode, count: Int, payload: ByteBuffer)?
    /// Set on a frame that ends the reading.
    private var failed = false

    /// A reader with nothing read yet.
    init() {}

    /// Takes bytes off the socket; ``next()`` then reads what they complete.
    mutating func append(_ bytes: ByteBuffer) {
        guard !failed else { return }
        if unread == nil {
            unread = bytes
        } else {
            var bytes = bytes
            unread?.writeBuffer(&bytes)
        }
    }

    /// The next message or control frame, `nil` until more bytes come.
    mutating func next() throws(Failure) -> Message? {
        while !failed, var bytes = unread {
            unread = nil  // the buffer is unique while it is parsed
            let frame: Frame?
            do {
                frame = try Self.frame(from: &bytes)
            } catch {
                failed = true
                throw error
            }
            if bytes.readableBytes > 0 { unread = bytes }
            guard let frame else { return nil }
            if let message = try assemble(frame) { return message }
        }
        return nil
    }

    // MARK: Frames

    private struct Frame {
        let fin: Bool
        let opcode: WebSocketOpcode
        let payload: ByteBuffer
    }

    /// The first whole frame in `bytes`, read off it, its payload unmasked; `nil` (nothing
    /// read) while it is incomplete. The checks come in the order the decoder and the check
    /// behind it made them, each as soon as what it looks at has come.
    private static func frame(from bytes: inout ByteBuffer) throws(Failure) -> Frame? {
        let start = bytes.readerIndex
        guard let first = bytes.getInteger(at: start, as: UInt8.self),
              let second = bytes.getInteger(at: start + 1, as: UInt8.self) else { return nil }
        var headerLength = 2
        let length: UInt64
        switch second & 0x7F {
        case 126:
            guard let word = bytes.getInteger(at: start + 2, as: UInt16.self) else { return nil }
            length = UInt64(word)
            headerLength += 2
        case 127:
            guard let word = bytes.getInteger(at: start + 2, as: UInt64.self) else { return nil }
            length = word
            headerLength += 8
        case let short:
            length = UInt64(short)
        }
        let fin = first & 0x80 != 0
        let isControl = first & 0x08 != 0
        guard length <= UInt64(Self.maxSize) else { throw .undecodable(.messageTooLarge) }
        guard !isControl || (fin && length <= 125) else { throw .undecodable(.protocolError) }
        let masked = second & 0x80 != 0
        let keyBytes = masked ? bytes.viewBytes(at: start + headerLength, length: 4) : nil
        if masked && keyBytes == nil { return nil }
        headerLength += masked ? 4 : 0
        guard let key = keyBytes.flatMap(WebSocketMaskingKey.init), first & 0x70 == 0,
              let opcode = WebSocketOpcode(encodedWebSocketOpcode: first & 0x0F) else { throw .forbidden }
        switch opcode {
        case .continuation, .text, .binary, .connectionClose, .ping, .pong: break
        default: throw .forbidden
        }
        let payloadLength = Int(length)  // at most maxSize
        guard bytes.readableBytes >= headerLength + payloadLength else { return nil }
        bytes.moveReaderIndex(forwardBy: headerLength)
        guard var payload = bytes.readSlice(length: payloadLength) else { return nil }
        payload.webSocketUnmask(key)
        return Frame(fin: fin, opcode: opcode, payload: payload)
    }

    // MARK: Messages

    /// The message `frame` completes, if any (NIO's aggregator's rules).
    private mutating func assemble(_ frame: Frame) throws(Failure) -> Message? {
        switch frame.opcode {
        case .text, .binary:
            guard fragments == nil else { throw droppingFragments(.protocolError) }
            if frame.fin { return frame.opcode == .text ? .text(frame.payload) : .binary }
            fragments = (frame.opcode, 0, ByteBuffer())
            try addFragment(frame)
            return nil
        case .continuation:
            guard fragments != nil else { throw droppingFragments(.protocolError) }
            try addFragment(frame)
            guard frame.fin, let whole = fragments else { return nil }
            fragments = nil
            return whole.opcode == .text ? .text(whole.payload) : .binary
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        default: return .close(frame.payload)  // the only opcode left (see frame(from:))
        }
    }

    private mutating func addFragment(_ frame: Frame) throws(Failure) {
        guard var message = fragments else { return }
        // A fragment that is not the last promises one more.
        guard message.count + (frame.fin ? 1 : 2) <= Self.maxFragments else { throw droppingFragments(.protocolError) }
        guard message.payload.readableBytes + frame.payload.readableBytes <= Self.maxSize else {
            throw droppingFragments(.messageTooLarge)
        }
        fragments = nil  // the payload is unique while it grows
        var payload = frame.payload
        message.payload.writeBuffer(&payload)
        message.count += 1
        fragments = message
    }

    /// Drops the message being assembled: the failure to throw for it.
    private mutating func droppingFragments(_ code: WebSocketErrorCode) -> Failure {
        fragments = nil
        return .invalidMessage(code)
    }
}
