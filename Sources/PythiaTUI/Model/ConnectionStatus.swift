/// The connection state as the status bar words it.
public enum ConnectionStatus: Hashable, Sendable {
    /// Opening the first connection.
    case connecting
    /// Live.
    case connected
    /// Waiting before the next attempt.
    case reconnecting(inSeconds: Int, attempt: Int)
    /// Not connected and not about to retry.
    case offline
    /// The server refused the token: retrying cannot help.
    case tokenRejected
    /// Given up for another reason, said in words.
    case failed(String)

    /// The words shown in the status bar.
    public var words: String {
        switch self {
        case .connecting: return "connecting…"
        case .connected: return "connected"
        case .reconnecting(let seconds, let attempt): return "reconnecting in \(seconds)s (attempt \(attempt))"
        case .offline: return "offline"
        case .tokenRejected: return "token rejected — run pythia-chat login"
        case .failed(let reason): return reason
        }
    }

    /// The theme role the words are drawn in.
    public var role: ThemeRole {
        switch self {
        case .connecting: return .statusConnecting
        case .connected: return .statusConnected
        case .reconnecting: return .statusReconnecting
        case .offline: return .statusOffline
        case .tokenRejected, .failed: return .statusFailed
        }
    }
}
