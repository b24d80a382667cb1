import Foundation
import GRDB

extension SQLiteStorage {
    func tokenStanding(userId: String, tokenId: String) async throws -> TokenStanding? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT token_generation, disabled, EXISTS (SELECT 1 FROM revoked_tokens WHERE token_id = ?) AS revoked
                FROM users WHERE id = ?
                """, arguments: [tokenId, userId]
            ).map { row in
                TokenStanding(generation: row["token_generation"], isRevoked: row["revoked"], isDisabled: row["disabled"])
            }
        }
    }

    func revokeToken(id tokenId: String, expiresAt: Date) async throws {
        let now = Self.epochSeconds(Date())
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM revoked_tokens WHERE expires_at < ?", arguments: [now])
            try db.execute(
                sql: "INSERT OR REPLACE INTO revoked_tokens (token_id, expires_at) VALUES (?, ?)",
                arguments: [tokenId, Self.epochSeconds(expiresAt)])
        }
    }

    func advanceTokenGeneration(userId: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE users SET token_generation = token_generation + 1 WHERE id = ?", arguments: [userId])
        }
    }

    /// Whole seconds since 1970, rounded up and clamped: a token's `exp` may be any number.
    private static func epochSeconds(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970.rounded(.up)
        guard seconds.isFinite else { return seconds > 0 ? .max : 0 }
        return Int64(min(max(seconds, 0), 1e15))
    }
}
