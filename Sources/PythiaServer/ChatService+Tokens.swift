import Foundation
import Logging
import PythiaProtocol

extension ChatService {
    /// The close reason of a WebSocket whose token was logged out.
    static let loggedOutReason = "logged out"
    /// The close reason of a WebSocket whose account an operator disabled.
    static let accountDisabledReason = "account disabled"
    /// The close reason of a WebSocket whose account an operator deleted.
    static let accountDeletedReason = "account deleted"

    /// A fresh token for `user`, in their current token generation (a login).
    /// - Throws: ``RESTError`` 401 with a wrong password's message when the account is disabled.
    func mintToken(for user: User) async throws -> TokenResponse {
        // No token yet: only the generation is read (an empty id is never revoked).
        let standing = try await storage.tokenStanding(userId: user.id, tokenId: "")
        if standing?.isDisabled == true { throw RESTError.unauthorized(RESTError.wrongCredentials) }
        return try await tokens.mint(for: user, generation: standing?.generation ?? 0)
    }

    /// `POST /auth/logout`: ends the caller's token, or every token of theirs, and closes the
    /// WebSockets opened with what ended (1008 `logged out`) once storage has it, so that no
    /// handshake checked later can still accept it.
    func logOut(_ identity: Identity, everyToken: Bool) async throws {
        if everyToken {
            try await storage.advanceTokenGeneration(userId: identity.userId)
            await broker.closeConnections(of: identity.userId, tokenId: nil, reason: Self.loggedOutReason)
        } else {
            try await storage.revokeToken(id: identity.tokenId, expiresAt: identity.expiresAt)
            await broker.closeConnections(of: identity.userId, tokenId: identity.tokenId, reason: Self.loggedOutReason)
        }
        logger.info("logged out", metadata: ["user_id": "\(identity.userId)", "every_token": "\(everyToken)"])
    }
}
