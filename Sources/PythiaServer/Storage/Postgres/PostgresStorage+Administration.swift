import Foundation
import PostgresNIO
import PythiaProtocol

/// The SQLite storage's administration (``SQLiteStorage``), in PostgreSQL: the same rows,
/// the same semantics. Reactions and memberships go by cascade; search terms are a column.
extension PostgresStorage: AdministrationStorage {
    private static let accountColumns = """
        SELECT u.*, (SELECT COUNT(*) FROM messages msg WHERE msg.user_id = u.id AND NOT msg.deleted) AS message_count
        FROM users u
        """

    private static func account(from row: PostgresRandomAccessRow) throws -> UserAccount {
        UserAccount(
            user: try user(from: row), isDisabled: try row["disabled"].decode(Bool.self),
            messageCount: try row["message_count"].decode(Int.self))
    }

    func accounts() async throws -> [UserAccount] {
        try await withConnection { [logger] connection in
            try await Self.rows(
                PostgresQuery(
                    unsafeSQL: Self.accountColumns + #" WHERE u.id <> $1 ORDER BY lower(u.username) COLLATE "C""#,
                    binds: Self.bindings(DeletedUser.id)),
                on: connection, logger: logger
            ).map(Self.account(from:))
        }
    }

    func account(named username: String) async throws -> UserAccount? {
        try await withConnection { [logger] connection in
            try await Self.rows(
                PostgresQuery(
                    unsafeSQL: Self.accountColumns + " WHERE lower(u.username) = lower($1) AND u.id <> $2",
                    binds: Self.bindings(username, DeletedUser.id)),
                on: connection, logger: logger
            ).first.map(Self.account(from:))
        }
    }

    func setDisabled(_ disabled: Bool, userId: String) async throws -> Bool {
        try await transaction { [logger, now = now()] connection in
            // Disabling also ends every token, as on SQLite.
            let changed = try await Self.rows("""
                UPDATE users SET disabled = \(disabled), token_generation = token_generation + \(disabled ? 1 : 0)
                WHERE id = \(userId) AND disabled <> \(disabled) RETURNING 1
                """, on: connection, logger: logger)
            guard !changed.isEmpty else { return false }
            if disabled { try await Self.record(.disabled, of: userId, now: now, on: connection, logger: logger) }
            return true
        }
    }

    func resetPassword(userId: String, passwordHash: String) async throws {
        try await transaction { [logger, now = now()] connection in
            try await connection.query(
                "UPDATE users SET password_hash = \(passwordHash), token_generation = token_generation + 1 WHERE id = \(userId)",
                logger: logger)
            try await Self.record(.passwordReset, of: userId, now: now, on: connection, logger: logger)
        }
    }

    func deleteAccount(userId: String, purgeMessages: Bool) async throws -> (ownedChannels: [String], messages: Int) {
        try await transaction { [logger, now = now()] connection in
            let messages = try await Self.rows(
                "SELECT COUNT(*) AS count FROM messages WHERE user_id = \(userId) AND NOT deleted", on: connection, logger: logger
            ).first?["count"].decode(Int.self) ?? 0
            let owned = try await Self.rows("""
                SELECT c.name FROM channels c JOIN memberships m ON m.channel_id = c.id
                WHERE m.user_id = \(userId) AND m.role = 'owner' ORDER BY c.name COLLATE "C"
                """, on: connection, logger: logger).map { try $0["name"].decode(String.self) }
            // The placeholder author, made by the first deletion (see ``DeletedUser``).
            try await connection.query("""
                INSERT INTO users (id, username, email, password_hash, created_at, disabled)
                VALUES (\(DeletedUser.id), \(DeletedUser.username), '', \(PasswordHasher.unusable), \(now), true)
                ON CONFLICT DO NOTHING
                """, logger: logger)
            try await connection.query("DELETE FROM reactions WHERE user_id = \(userId)", logger: logger)
            if purgeMessages {
                // Reactions on them go by cascade.
                try await connection.query("DELETE FROM messages WHERE user_id = \(userId)", logger: logger)
            } else {
                // The idempotency keys were the author's: two deleted authors may share one.
                try await connection.query(
                    "UPDATE messages SET user_id = \(DeletedUser.id), client_id = NULL WHERE user_id = \(userId)", logger: logger)
            }
            try await connection.query(
                "UPDATE channels SET created_by = \(DeletedUser.id) WHERE created_by = \(userId)", logger: logger)
            try await connection.query("DELETE FROM users WHERE id = \(userId)", logger: logger)
            try await Self.record(.deleted, of: userId, now: now, on: connection, logger: logger)
            return (owned, messages)
        }
    }

    func channelRecords() async throws -> [ChannelRecord] {
        try await withConnection { [logger] connection in
            try await Self.rows("""
                SELECT c.id, c.name, c.is_private, c.created_at,
                       (SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id
                        WHERE m.channel_id = c.id AND m.role = 'owner' ORDER BY m.joined_at LIMIT 1) AS owner,
                       (SELECT COUNT(*) FROM memberships m WHERE m.channel_id = c.id) AS member_count,
                       (SELECT COUNT(*) FROM messages msg WHERE msg.channel_id = c.id AND NOT msg.deleted) AS message_count
                FROM channels c ORDER BY c.name COLLATE "C"
                """, on: connection, logger: logger
            ).map { row in
                ChannelRecord(
                    id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
                    isPrivate: try row["is_private"].decode(Bool.self), owner: try row["owner"].decode(String?.self),
                    memberCount: try row["member_count"].decode(Int.self), messageCount: try row["message_count"].decode(Int.self),
                    createdAt: Self.date(try row["created_at"].decode(Int64.self)))
            }
        }
    }

    func deleteChannel(id channelId: String) async throws -> Int {
        try await transaction { [logger] connection in
            let messages = try await Self.rows(
                "SELECT COUNT(*) AS count FROM messages WHERE channel_id = \(channelId) AND NOT deleted", on: connection, logger: logger
            ).first?["count"].decode(Int.self) ?? 0
            // Memberships, messages and their reactions go by cascade.
            let deleted = try await Self.rows("DELETE FROM channels WHERE id = \(channelId) RETURNING 1", on: connection, logger: logger)
            guard !deleted.isEmpty else { throw StorageError.notFound("channel") }
            return messages
        }
    }

    func setOwner(userId: String, of channelId: String) async throws {
        try await transaction { [logger, now = now()] connection in
            try await connection.query(
                "UPDATE memberships SET role = 'member' WHERE channel_id = \(channelId) AND role = 'owner' AND user_id <> \(userId)",
                logger: logger)
            try await connection.query("""
                INSERT INTO memberships (channel_id, user_id, role, joined_at) VALUES (\(channelId), \(userId), 'owner', \(now))
                ON CONFLICT (channel_id, user_id) DO UPDATE SET role = 'owner'
                """, logger: logger)
            try await connection.query("UPDATE channels SET created_by = \(userId) WHERE id = \(channelId)", logger: logger)
        }
    }

    func latestAccountChange() async throws -> Int64 {
        try await withConnection { [logger] connection in
            try await Self.rows("SELECT MAX(seq) AS seq FROM account_changes", on: connection, logger: logger)
                .first?["seq"].decode(Int64?.self) ?? 0
        }
    }

    func accountChanges(after seq: Int64) async throws -> [(seq: Int64, userId: String, change: AccountChange)] {
        try await withConnection { [logger] connection in
            try await Self.rows(
                "SELECT seq, user_id, change FROM account_changes WHERE seq > \(seq) ORDER BY seq", on: connection, logger: logger
            ).compactMap { row in
                guard let change = AccountChange(rawValue: try row["change"].decode(String.self)) else { return nil }
                return (try row["seq"].decode(Int64.self), try row["user_id"].decode(String.self), change)
            }
        }
    }

    /// Records `change` of `userId`, and forgets the changes old enough to have been read.
    /// The table is locked against other writers until the commit, so that sequence numbers
    /// are committed in order and a watcher past one never misses an earlier one.
    private static func record(
        _ change: AccountChange, of userId: String, now: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query("LOCK TABLE account_changes IN EXCLUSIVE MODE", logger: logger)
        try await connection.query("DELETE FROM account_changes WHERE created_at < \(now - AccountChange.lifetime)", logger: logger)
        try await connection.query(
            "INSERT INTO account_changes (user_id, change, created_at) VALUES (\(userId), \(change.rawValue), \(now))", logger: logger)
    }

    func deleteMessages(before cutoff: Date, limit: Int) async throws -> Int {
        let cutoffMillis = Int64((cutoff.timeIntervalSince1970 * 1000).rounded(.down))
        return try await withConnection { [logger] connection in
            // One statement, its own short transaction; reactions go by cascade.
            try await Self.rows("""
                WITH gone AS (
                    DELETE FROM messages WHERE seq IN (
                        SELECT seq FROM messages WHERE created_at < \(cutoffMillis) ORDER BY created_at LIMIT \(limit))
                    RETURNING 1)
                SELECT COUNT(*) AS count FROM gone
                """, on: connection, logger: logger
            ).first?["count"].decode(Int.self) ?? 0
        }
    }

    func exportPage(channelId: String?, since: Date?, after seq: Int64, limit: Int) async throws -> [(seq: Int64, message: Message)] {
        var bindings = PostgresBindings()
        bindings.append(seq)
        bindings.append(channelId)
        bindings.append(since.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.up)) })
        bindings.append(limit)
        let query = PostgresQuery(unsafeSQL: Self.messageColumns + """
             WHERE msg.seq > $1 AND NOT msg.deleted AND ($2::text IS NULL OR msg.channel_id = $2)
               AND ($3::bigint IS NULL OR msg.created_at >= $3)
             ORDER BY msg.seq LIMIT $4
            """, binds: bindings)
        return try await withConnection { [logger] connection in
            let rows = try await Self.rows(query, on: connection, logger: logger)
            let messages = try await Self.messages(from: rows, on: connection, logger: logger)
            return try zip(rows, messages).map { row, message in (try row["seq"].decode(Int64.self), message) }
        }
    }
}
