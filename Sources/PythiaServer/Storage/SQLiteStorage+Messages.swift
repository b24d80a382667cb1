import Foundation
import GRDB
import PythiaProtocol

extension SQLiteStorage {
    /// The columns ``messages(from:db:)`` reads, the author joined.
    static let messageColumns = """
        SELECT msg.seq, msg.id, msg.channel_id, msg.user_id, msg.content, msg.created_at, msg.updated_at,
               msg.client_id, u.username, u.email
        FROM messages msg JOIN users u ON u.id = msg.user_id
        """

    /// The commit group publishes the announcements through `broker`, in the order the
    /// changes were stored (see ``commitTogether(announcingThrough:_:)``).
    func postMessage(
        channelId: String, userId: String, content: String, clientId: String?, mentioning: Set<String>,
        announce: @escaping @Sendable (_ message: Message, _ mentioned: [String]) -> [Announcement], through broker: any Broker
    ) async throws -> (message: Message, created: Bool) {
        try await commitTogether(announcingThrough: broker) { db in
            guard try Self.role(of: userId, in: channelId, db: db) != nil else { throw StorageError.notMember }
            if let clientId, let existing = try Row.fetchOne(
                db.cachedStatement(sql: Self.messageColumns + " WHERE msg.user_id = ? AND msg.client_id = ?"),
                arguments: [userId, clientId])
            {
                return ((try Self.messages(from: [existing], db: db)[0], false), [])
            }
            let id = Self.newID()
            let now = self.now()
            try db.cachedStatement(sql: """
                INSERT INTO messages (id, channel_id, user_id, content, client_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [id, channelId, userId, content, clientId, now, now])
            guard let row = try Row.fetchOne(db.cachedStatement(sql: Self.messageColumns + " WHERE msg.id = ?"), arguments: [id])
            else {
                throw StorageError.notFound("message")
            }
            var mentioned: [String] = []
            if !mentioning.isEmpty {
                let names = Array(mentioning)
                let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
                mentioned = try String.fetchAll(db, sql: """
                    SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id
                    WHERE m.channel_id = ? AND u.id != ? AND u.username IN (\(placeholders))
                    """, arguments: StatementArguments([channelId, userId] + names))
            }
            let message = try Self.messages(from: [row], db: db)[0]
            return ((message, true), announce(message, mentioned))
        }
    }

    func message(id: String) async throws -> Message? {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: Self.messageColumns + " WHERE msg.id = ? AND msg.deleted = 0", arguments: [id])
            return try Self.messages(from: rows, db: db).first
        }
    }

    func history(channelId: String, before: String?, after: String?, limit: Int) async throws -> [Message] {
        try await pool.read { db in
            func seq(of cursor: String) throws -> Int64 {
                guard let seq = try Int64.fetchOne(
                    db, sql: "SELECT seq FROM messages WHERE id = ? AND channel_id = ?", arguments: [cursor, channelId])
                else { throw StorageError.notFound("cursor message \(cursor.prefix(64))") }
                return seq
            }
            var conditions = ["msg.channel_id = ?", "msg.deleted = 0"]
            var arguments: StatementArguments = [channelId]
            if let before {
                conditions.append("msg.seq < ?")
                arguments += [try seq(of: before)]
            }
            if let after {
                conditions.append("msg.seq > ?")
                arguments += [try seq(of: after)]
            }
            // With `after` the page starts right after the cursor; otherwise it ends at the newest.
            let newestFirst = after == nil
            let sql = Self.messageColumns + " WHERE " + conditions.joined(separator: " AND ")
                + " ORDER BY msg.seq " + (newestFirst ? "DESC" : "ASC") + " LIMIT ?"
            arguments += [limit]
            var rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            if newestFirst { rows.reverse() }
            return try Self.messages(from: rows, db: db)
        }
    }

    func history(channelId: String, around id: String, limit: Int) async throws -> [Message] {
        try await pool.read { db in
            guard let seq = try Int64.fetchOne(
                db, sql: "SELECT seq FROM messages WHERE id = ? AND channel_id = ? AND deleted = 0", arguments: [id, channelId])
            else { throw StorageError.notFound("message \(id.prefix(64))") }
            let others = limit - 1
            let sameChannel = " WHERE msg.channel_id = ? AND msg.deleted = 0 AND msg.seq "
            let older = try Row.fetchAll(
                db, sql: Self.messageColumns + sameChannel + "< ? ORDER BY msg.seq DESC LIMIT ?", arguments: [channelId, seq, others])
            let newer = try Row.fetchAll(
                db, sql: Self.messageColumns + sameChannel + "> ? ORDER BY msg.seq ASC LIMIT ?", arguments: [channelId, seq, others])
            // Half before and half after; a side with fewer gives its share to the other.
            let olderCount = min(older.count, max(others / 2, others - newer.count))
            let newerCount = min(newer.count, others - olderCount)
            guard let centre = try Row.fetchOne(db, sql: Self.messageColumns + " WHERE msg.seq = ?", arguments: [seq]) else {
                throw StorageError.notFound("message \(id.prefix(64))")
            }
            let rows = Array(older.prefix(olderCount).reversed()) + [centre] + Array(newer.prefix(newerCount))
            return try Self.messages(from: rows, db: db)
        }
    }

    func searchMessages(words: [String], viewerId: String, channelId: String?, limit: Int) async throws -> [Message] {
        guard !words.isEmpty else { return [] }
        // Each word a quoted prefix term (`"word"*`, quotes doubled): FTS5 reads nothing in
        // it as an operator, and terms side by side must all match.
        let match = words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*" }.joined(separator: " ")
        var sql = Self.messageColumns + """
             WHERE msg.seq IN (SELECT rowid FROM messages_search WHERE messages_search MATCH ?)
               AND msg.deleted = 0
               AND msg.channel_id IN (SELECT channel_id FROM memberships WHERE user_id = ?)
            """
        var arguments: StatementArguments = [match, viewerId]
        if let channelId {
            sql += " AND msg.channel_id = ?"
            arguments += [channelId]
        }
        sql += " ORDER BY msg.seq DESC LIMIT ?"
        arguments += [limit]
        return try await pool.read { [sql, arguments] db in
            try Self.messages(from: Row.fetchAll(db, sql: sql, arguments: arguments), db: db)
        }
    }

    func editMessage(
        id: String, content: String, announce: @escaping @Sendable (_ edited: Message) -> [Announcement], through broker: any Broker
    ) async throws -> Message {
        try await commitTogether(announcingThrough: broker) { db in
            try db.execute(
                sql: "UPDATE messages SET content = ?, updated_at = MAX(?, created_at + 1) WHERE id = ? AND deleted = 0",
                arguments: [content, self.now(), id])
            guard db.changesCount > 0,
                  let row = try Row.fetchOne(db, sql: Self.messageColumns + " WHERE msg.id = ?", arguments: [id])
            else { throw StorageError.notFound("message") }
            let edited = try Self.messages(from: [row], db: db)[0]
            return (edited, announce(edited))
        }
    }

    func deleteMessage(id: String, announcements: [Announcement], through broker: any Broker) async throws {
        try await commitTogether(announcingThrough: broker) { db in
            try db.execute(sql: "UPDATE messages SET deleted = 1 WHERE id = ? AND deleted = 0", arguments: [id])
            guard db.changesCount > 0 else { throw StorageError.notFound("message") }
            try db.execute(sql: "DELETE FROM reactions WHERE message_id = ?", arguments: [id])
            return ((), announcements)
        }
    }

    func react(
        messageId: String, userId: String, emoji: String, add: Bool, announcements: [Announcement], through broker: any Broker
    ) async throws -> (changed: Bool, count: Int) {
        try await commitTogether(announcingThrough: broker) { db in
            if add {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO reactions (message_id, user_id, emoji) VALUES (?, ?, ?)",
                    arguments: [messageId, userId, emoji])
            } else {
                try db.execute(
                    sql: "DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?",
                    arguments: [messageId, userId, emoji])
            }
            let changed = db.changesCount > 0
            let count = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM reactions WHERE message_id = ? AND emoji = ?", arguments: [messageId, emoji]) ?? 0
            return ((changed, count), changed ? announcements : [])
        }
    }

    /// Messages from rows of `messageColumns`, with their reactions aggregated per emoji.
    static func messages(from rows: [Row], db: Database) throws -> [Message] {
        guard !rows.isEmpty else { return [] }
        let ids: [String] = rows.map { $0["id"] }
        var reactions = ReactionTally()
        let placeholders = databaseQuestionMarks(count: ids.count)
        let sql = "SELECT message_id, emoji, user_id FROM reactions WHERE message_id IN (\(placeholders)) ORDER BY seq"
        // One message (every post) is prepared once per connection; a page's length varies,
        // and each length would stay in the cache.
        let statement = ids.count == 1 ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        let reactionRows = try Row.fetchAll(statement, arguments: StatementArguments(ids))
        for row in reactionRows {
            reactions.add(messageId: row["message_id"], emoji: row["emoji"], userId: row["user_id"])
        }
        return rows.map { row in
            let id: String = row["id"]
            let userId: String = row["user_id"]
            return Message(
                id: id, content: row["content"], channelId: row["channel_id"], userId: userId,
                createdAt: date(row["created_at"]), updatedAt: date(row["updated_at"]),
                user: User(id: userId, username: row["username"], email: row["email"]),
                reactions: reactions.byMessage[id] ?? [], clientId: row["client_id"])
        }
    }
}
