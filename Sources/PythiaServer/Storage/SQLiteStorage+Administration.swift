import Foundation
import GRDB
import PythiaProtocol

extension SQLiteStorage: AdministrationStorage {
    private static let accountColumns = """
        SELECT u.*, (SELECT COUNT(*) FROM messages msg WHERE msg.user_id = u.id AND msg.deleted = 0) AS message_count
        FROM users u
        """

    private static func account(from row: Row) -> UserAccount {
        UserAccount(user: user(from: row), isDisabled: row["disabled"], messageCount: row["message_count"])
    }

    func accounts() async throws -> [UserAccount] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: Self.accountColumns + " WHERE u.id != ? ORDER BY u.username COLLATE NOCASE", arguments: [DeletedUser.id]
            ).map(Self.account(from:))
        }
    }

    func account(named username: String) async throws -> UserAccount? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: Self.accountColumns + " WHERE u.username = ? AND u.id != ?", arguments: [username, DeletedUser.id]
            ).map(Self.account(from:))
        }
    }

    func setDisabled(_ disabled: Bool, userId: String) async throws -> Bool {
        try await pool.write { db in
            // Disabling also ends every token, so that enabling the account again does not
            // bring back a session that may have been why it was disabled.
            try db.execute(sql: """
                UPDATE users SET disabled = ?, token_generation = token_generation + ? WHERE id = ? AND disabled != ?
                """, arguments: [disabled, disabled ? 1 : 0, userId, disabled])
            guard db.changesCount > 0 else { return false }
            if disabled { try self.record(.disabled, of: userId, db) }
            return true
        }
    }

    func resetPassword(userId: String, passwordHash: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE users SET password_hash = ?, token_generation = token_generation + 1 WHERE id = ?",
                arguments: [passwordHash, userId])
            try self.record(.passwordReset, of: userId, db)
        }
    }

    func deleteAccount(userId: String, purgeMessages: Bool) async throws -> (ownedChannels: [String], messages: Int) {
        try await pool.write { db in
            let messages = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM messages WHERE user_id = ? AND deleted = 0", arguments: [userId]) ?? 0
            let owned = try String.fetchAll(db, sql: """
                SELECT c.name FROM channels c JOIN memberships m ON m.channel_id = c.id
                WHERE m.user_id = ? AND m.role = 'owner' ORDER BY c.name
                """, arguments: [userId])
            // The placeholder author, made by the first deletion: their channels' `created_by`
            // (and, unless purged, their messages) name it from now on.
            try db.execute(sql: """
                INSERT OR IGNORE INTO users (id, username, email, password_hash, created_at, disabled)
                VALUES (?, ?, '', ?, ?, 1)
                """, arguments: [DeletedUser.id, DeletedUser.username, PasswordHasher.unusable, self.now()])
            try db.execute(sql: "DELETE FROM reactions WHERE user_id = ?", arguments: [userId])
            // Purged, reactions on them and their search entries go with them (cascade, trigger).
            try db.execute(
                sql: purgeMessages ? "DELETE FROM messages WHERE user_id = ?"
                    // The idempotency keys were the author's: two deleted authors may share one.
                    : "UPDATE messages SET user_id = ?, client_id = NULL WHERE user_id = ?",
                arguments: purgeMessages ? [userId] : [DeletedUser.id, userId])
            try db.execute(sql: "UPDATE channels SET created_by = ? WHERE created_by = ?", arguments: [DeletedUser.id, userId])
            // Memberships go by cascade.
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [userId])
            try self.record(.deleted, of: userId, db)
            return (owned, messages)
        }
    }

    func channelRecords() async throws -> [ChannelRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.name, c.is_private, c.created_at,
                       (SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id
                        WHERE m.channel_id = c.id AND m.role = 'owner' ORDER BY m.joined_at LIMIT 1) AS owner,
                       (SELECT COUNT(*) FROM memberships m WHERE m.channel_id = c.id) AS member_count,
                       (SELECT COUNT(*) FROM messages msg WHERE msg.channel_id = c.id AND msg.deleted = 0) AS message_count
                FROM channels c ORDER BY c.name
                """
            ).map { row in
                ChannelRecord(
                    id: row["id"], name: row["name"], isPrivate: row["is_private"], owner: row["owner"],
                    memberCount: row["member_count"], messageCount: row["message_count"], createdAt: Self.date(row["created_at"]))
            }
        }
    }

    func deleteChannel(id channelId: String) async throws -> Int {
        try await pool.write { db in
            let messages = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM messages WHERE channel_id = ? AND deleted = 0", arguments: [channelId]) ?? 0
            // Memberships, messages and their reactions go by cascade, search entries by trigger.
            try db.execute(sql: "DELETE FROM channels WHERE id = ?", arguments: [channelId])
            guard db.changesCount > 0 else { throw StorageError.notFound("channel") }
            return messages
        }
    }

    func setOwner(userId: String, of channelId: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE memberships SET role = 'member' WHERE channel_id = ? AND role = 'owner' AND user_id != ?",
                arguments: [channelId, userId])
            try db.execute(sql: """
                INSERT INTO memberships (channel_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)
                ON CONFLICT (channel_id, user_id) DO UPDATE SET role = 'owner'
                """, arguments: [channelId, userId, self.now()])
            try db.execute(sql: "UPDATE channels SET created_by = ? WHERE id = ?", arguments: [userId, channelId])
        }
    }

    func latestAccountChange() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM account_changes") ?? 0 }
    }

    func accountChanges(after seq: Int64) async throws -> [(seq: Int64, userId: String, change: AccountChange)] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, user_id, change FROM account_changes WHERE seq > ? ORDER BY seq", arguments: [seq]
            ).compactMap { row in
                AccountChange(rawValue: row["change"]).map { (row["seq"], row["user_id"], $0) }
            }
        }
    }

    /// Records `change` of `userId`, and forgets the changes old enough to have been read.
    private func record(_ change: AccountChange, of userId: String, _ db: Database) throws {
        let now = self.now()
        try db.execute(sql: "DELETE FROM account_changes WHERE created_at < ?", arguments: [now - AccountChange.lifetime])
        try db.execute(
            sql: "INSERT INTO account_changes (user_id, change, created_at) VALUES (?, ?, ?)",
            arguments: [userId, change.rawValue, now])
    }

    func deleteMessages(before cutoff: Date, limit: Int) async throws -> Int {
        let cutoffMillis = Int64((cutoff.timeIntervalSince1970 * 1000).rounded(.down))
        return try await pool.write { db in
            // Reactions go by cascade; the search entries of messages not deleted by trigger.
            try db.execute(sql: """
                DELETE FROM messages WHERE seq IN (
                    SELECT seq FROM messages WHERE created_at < ? ORDER BY created_at LIMIT ?)
                """, arguments: [cutoffMillis, limit])
            return db.changesCount
        }
    }

    func exportPage(channelId: String?, since: Date?, after seq: Int64, limit: Int) async throws -> [(seq: Int64, message: Message)] {
        var sql = Self.messageColumns + " WHERE msg.seq > ? AND msg.deleted = 0"
        var arguments: StatementArguments = [seq]
        if let channelId {
            sql += " AND msg.channel_id = ?"
            arguments += [channelId]
        }
        if let since {
            sql += " AND msg.created_at >= ?"
            arguments += [Int64((since.timeIntervalSince1970 * 1000).rounded(.up))]
        }
        sql += " ORDER BY msg.seq LIMIT ?"
        arguments += [limit]
        return try await pool.read { [sql, arguments] db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let messages = try Self.messages(from: rows, db: db)
            return zip(rows, messages).map { row, message in (row["seq"], message) }
        }
    }
}
