import Foundation
import GRDB

extension SQLiteStorage {
    /// Read on every request, on the caller's thread, and without `BEGIN`/`COMMIT`: it is one
    /// statement.
    func tokenStanding(userId: String, tokenId: String) async throws -> TokenStanding? {
        try directReader.read(isolated: false) { db in try Self.tokenStanding(userId: userId, tokenId: tokenId, db: db) }
    }

    /// Read on every handshake, on the caller's thread.
    func socketStanding(userId: String, tokenId: String) async throws -> SocketStanding {
        try directReader.read { db in
            SocketStanding(
                channelIds: try Self.channelIds(memberOf: userId, db: db),
                token: try Self.tokenStanding(userId: userId, tokenId: tokenId, db: db))
        }
    }

    private static func tokenStanding(userId: String, tokenId: String, db: Database) throws -> TokenStanding? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT token_generation, disabled, EXISTS (SELECT 1 FROM revoked_tokens WHERE token_id = ?) AS revoked
            FROM users WHERE id = ?
            """), arguments: [tokenId, userId]
        ).map { row in
            TokenStanding(generation: row["token_generation"], isRevoked: row["revoked"], isDisabled: row["disabled"])
        }
    }

    func revokeToken(id tokenId: String, expiresAt: Date) async throws {
        let now = Date().storedEpochSeconds
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM revoked_tokens WHERE expires_at < ?", arguments: [now])
            try db.execute(
                sql: "INSERT OR REPLACE INTO revoked_tokens (token_id, expires_at) VALUES (?, ?)",
                arguments: [tokenId, expiresAt.storedEpochSeconds])
        }
    }

    func advanceTokenGeneration(userId: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE users SET token_generation = token_generation + 1 WHERE id = ?", arguments: [userId])
        }
    }

}
