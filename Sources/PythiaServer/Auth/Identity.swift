import Foundation

/// Who a verified token speaks for, and until when.
struct Identity: Sendable, Hashable {
    /// The user's id (`sub`).
    let userId: String
    /// The user's name (`username`).
    let username: String
    /// When the token expires (`exp`).
    let expiresAt: Date
    /// When the password was last checked (`auth_time`, else `iat`): how old the session is.
    let authenticatedAt: Date
    /// What a logout of this one token revokes: its `jti`, else a digest of the token (an
    /// operator-minted token need not carry a `jti`).
    let tokenId: String
    /// The user's token generation the token was issued in (`gen`; 0 when it has none).
    let tokenGeneration: Int

    /// An identity; `authenticatedAt` defaults to now, for one made without a token.
    init(
        userId: String, username: String, expiresAt: Date, authenticatedAt: Date = Date(),
        tokenId: String = "", tokenGeneration: Int = 0
    ) {
        self.userId = userId
        self.username = username
        self.expiresAt = expiresAt
        self.authenticatedAt = authenticatedAt
        self.tokenId = tokenId
        self.tokenGeneration = tokenGeneration
    }
}
