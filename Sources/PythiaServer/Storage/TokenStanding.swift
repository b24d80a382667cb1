/// What the database says about a user's token: see ``ChatStorage/tokenStanding(userId:tokenId:)``.
struct TokenStanding: Sendable, Hashable {
    /// The user's current token generation: 0 until their first logout of every token.
    let generation: Int
    /// Whether this one token was logged out.
    let isRevoked: Bool

    /// Whether a token issued in `tokenGeneration` (0 for one without `gen`) may be used.
    func accepts(tokenGeneration: Int) -> Bool {
        !isRevoked && tokenGeneration == generation
    }
}
