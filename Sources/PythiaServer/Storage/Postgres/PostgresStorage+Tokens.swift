import Foundation
import PostgresNIO

extension PostgresStorage {
    func tokenStanding(userId: String, tokenId: String) async throws -> TokenStanding? {
        try await withConnection { [logger] connection in
            try await Self.rows(TokenStandingQuery(userId: userId, tokenId: tokenId), on: connection, logger: logger).first
                .map(Self.tokenStanding(of:))
        }
    }

    func socketStanding(userId: String, tokenId: String) async throws -> SocketStanding {
        try await withConnection { [logger] connection in
            // No row: no such user, and no memberships (they go with the user).
            guard let row = try await Self.rows(SocketStandingQuery(userId: userId, tokenId: tokenId), on: connection, logger: logger).first
            else { return SocketStanding(channelIds: [], token: nil) }
            return SocketStanding(channelIds: try row["channel_ids"].decode([String].self), token: try Self.tokenStanding(of: row))
        }
    }

    private static func tokenStanding(of row: PostgresRandomAccessRow) throws -> TokenStanding {
        TokenStanding(
            generation: try row["token_generation"].decode(Int.self), isRevoked: try row["revoked"].decode(Bool.self),
            isDisabled: try row["disabled"].decode(Bool.self))
    }

    func revokeToken(id tokenId: String, expiresAt: Date) async throws {
        let now = Date().storedEpochSeconds
        let expiry = expiresAt.storedEpochSeconds
        try await transaction { [logger] connection in
            try await connection.query("DELETE FROM revoked_tokens WHERE expires_at < \(now)", logger: logger)
            try await connection.query("""
                INSERT INTO revoked_tokens (token_id, expires_at) VALUES (\(tokenId), \(expiry))
                ON CONFLICT (token_id) DO UPDATE SET expires_at = excluded.expires_at
                """, logger: logger)
        }
    }

    func advanceTokenGeneration(userId: String) async throws {
        try await withConnection { [logger] connection in
            _ = try await connection.query(
                "UPDATE users SET token_generation = token_generation + 1 WHERE id = \(userId)", logger: logger)
        }
    }
}

/// A token's standing: read on every authenticated request and WebSocket handshake.
private struct TokenStandingQuery: PreparedQuery {
    static let sql = """
        SELECT token_generation, disabled, EXISTS (SELECT 1 FROM revoked_tokens WHERE token_id = $2::text) AS revoked
        FROM users WHERE id = $1::text
        """
    let userId: String
    let tokenId: String
    func makeBindings() -> PostgresBindings { PostgresStorage.bindings(userId, tokenId) }
}

/// A token's standing and its user's channels: read once by every WebSocket as it opens.
private struct SocketStandingQuery: PreparedQuery {
    static let sql = """
        SELECT token_generation, disabled, EXISTS (SELECT 1 FROM revoked_tokens WHERE token_id = $2::text) AS revoked,
               ARRAY(SELECT channel_id FROM memberships WHERE user_id = $1::text) AS channel_ids
        FROM users WHERE id = $1::text
        """
    let userId: String
    let tokenId: String
    func makeBindings() -> PostgresBindings { PostgresStorage.bindings(userId, tokenId) }
}
