/// How a ``RealtimeConnection`` gets its token and what it does when the server refuses it.
public struct ConnectionCredentials: Sendable {
    /// What to do after the server refused the handshake or closed with `token expired`.
    public enum Recovery: Sendable, Equatable {
        /// The token was replaced: connect again at once.
        case retryNow
        /// The token is fine; something else failed: back off and retry.
        case retryLater
        /// Stop trying.
        case fail(ConnectionFailure)
    }

    /// The token to connect with now.
    public var token: @Sendable () async -> String
    /// Decides what a refusal means (ask `GET /auth/me`, refresh the token…).
    public var recover: @Sendable () async -> Recovery
    /// Told when the connection moves to another server of its list, before it connects
    /// there: the REST calls that ``recover`` and the engine make follow it.
    public var serverChanged: @Sendable (ServerEndpoint) async -> Void

    /// Creates credentials.
    public init(
        token: @escaping @Sendable () async -> String, recover: @escaping @Sendable () async -> Recovery,
        serverChanged: @escaping @Sendable (ServerEndpoint) async -> Void = { _ in }
    ) {
        self.token = token
        self.recover = recover
        self.serverChanged = serverChanged
    }

    /// A fixed token; a refusal is final.
    public static func fixed(_ token: String) -> ConnectionCredentials {
        ConnectionCredentials(token: { token }, recover: { .fail(.unauthorized) })
    }
}
