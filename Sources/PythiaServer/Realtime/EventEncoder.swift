import Foundation
import NIOCore
import NIOWebSocket
import PythiaProtocol

/// Encodes a server event once, into the whole WebSocket text frame (header and payload) that
/// every recipient's socket is sent as it is.
///
/// A server's frames are unmasked, so their header is the same for every recipient: built
/// here once, the bytes bypass the per-socket frame encoder (which would allocate a header
/// buffer and queue two writes per frame and recipient, the payload being shared).
enum EventEncoder {
    static func encode(_ event: ServerEvent) -> ByteBuffer {
        textFrame(JSONWriter.bytes(of: event))
    }

    /// The payload of a frame made by ``textFrame(_:)``.
    static func payload(ofTextFrame frame: ByteBuffer) -> ByteBufferView {
        let lengthByte = frame.getInteger(at: frame.readerIndex + 1, as: UInt8.self) ?? 0
        let headerLength = switch lengthByte { case 126: 4; case 127: 10; default: 2 }
        return frame.readableBytesView.dropFirst(headerLength)
    }

    /// A final, unmasked text frame carrying `payload` (RFC 6455 §5.2).
    static func textFrame(_ payload: some Collection<UInt8>) -> ByteBuffer {
        frame(.text, payload: payload)
    }

    /// A final, unmasked frame of `opcode` carrying `payload` (RFC 6455 §5.2).
    static func frame(_ opcode: WebSocketOpcode, payload: some Collection<UInt8>) -> ByteBuffer {
        let length = payload.count
        var frame = ByteBuffer()
        frame.reserveCapacity(length + 10)
        frame.writeInteger(0x80 | UInt8(webSocketOpcode: opcode))  // FIN
        switch length {
        case ..<126:
            frame.writeInteger(UInt8(length))
        case ..<65_536:
            frame.writeInteger(UInt8(126))
            frame.writeInteger(UInt16(length))
        default:
            frame.writeInteger(UInt8(127))
            frame.writeInteger(UInt64(length))
        }
        frame.writeBytes(payload)
        return frame
    }
}
