import NIOCore
import NIOWebSocket

/// What a connection's writer sends next: an encoded frame shared with every other
/// recipient, or a close.
enum Outbound: Sendable {
    case frame(ByteBuffer)
    case close(WebSocketErrorCode, reason: String)
}
