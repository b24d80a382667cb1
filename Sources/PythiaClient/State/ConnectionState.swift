/// Where the engine's WebSocket stands, as the status bar shows it.
public enum ConnectionState: Hashable, Sendable {
    /// Not started, or stopped on purpose.
    case disconnected
    /// Opening the WebSocket (the first time, or right after a backoff delay).
    case connecting
    /// The server sent `connection_established`; events are flowing.
    case connected
    /// The connection dropped; the next attempt starts after `in`.
    case reconnecting(in: Duration, attempt: Int)
    /// Given up: the user must act (log in again, fix the URL).
    case failed(ConnectionFailure)

    /// Whether events are flowing.
    public var isConnected: Bool { self == .connected }
}
