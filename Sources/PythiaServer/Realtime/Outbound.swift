import NIOWebSocket

/// What a connection's writer task sends: its close. (Frames go straight to the socket, see
/// ``FrameWriter``.)
enum Outbound: Sendable {
    case close(WebSocketErrorCode, reason: String)
}
