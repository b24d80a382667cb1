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
    /// Given up until the user acts (logs in again, mends the server) and asks again
    /// (``Session/reconnect()``).
    case failed(ConnectionFailure)

    /// Whether events are flowing.
    public var isConnected: Bool { self == .connected }
}
