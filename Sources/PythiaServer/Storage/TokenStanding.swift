/// What the database says about a user's token: see ``ChatStorage/tokenStanding(userId:tokenId:)``.
struct TokenStanding: Sendable, Hashable {
    /// The user's current token generation: 0 until their first logout of every token.
    let generation: Int
    /// Whether this one token was logged out.
    let isRevoked: Bool
    /// Whether an operator disabled the account (API.md "Disabled users").
    let isDisabled: Bool

    /// A standing; a storage without administration never has disabled accounts.
    init(generation: Int, isRevoked: Bool, isDisabled: Bool = false) {
        self.generation = generation
        self.isRevoked = isRevoked
        self.isDisabled = isDisabled
    }

    /// Whether a token issued in `tokenGeneration` (0 for one without `gen`) may be used.
    func accepts(tokenGeneration: Int) -> Bool {
        refusal(tokenGeneration: tokenGeneration) == nil
    }

    /// Why a token issued in `tokenGeneration` is refused, as a WebSocket close reason;
    /// `nil` when it may be used.
    func refusal(tokenGeneration: Int) -> String? {
        if isDisabled { return ChatService.accountDisabledReason }
        return isRevoked || tokenGeneration != generation ? ChatService.loggedOutReason : nil
    }
}
