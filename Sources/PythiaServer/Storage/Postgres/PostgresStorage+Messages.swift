import Foundation
import PostgresNIO
import PythiaProtocol

extension PostgresStorage {
    static let messageColumns = """
        SELECT msg.seq, msg.id, msg.channel_id, msg.user_id, msg.content, msg.created_at, msg.updated_at,
               msg.client_id, u.username, u.email
        FROM messages msg JOIN users u ON u.id = msg.user_id
        """

    /// The folded words of `content`, as the search index keeps them (a tsvector made from
    /// them as they are, never parsed): at most 1 KiB each, PostgreSQL's lexemes being
    /// bounded, which is far longer than any query word.
    private static func searchTerms(_ content: String) -> [String] {
        SearchQuery.terms(in: content).map { term in
            guard term.utf8.count > 1024 else { return term }
            var cut = ""
            for character in term {
                guard cut.utf8.count + character.utf8.count <= 1024 else { break }
                cut.append(character)
            }
            return cut
        }
    }

    /// The posts to one channel that arrive while its statement runs share the next one
    /// (see ``storePosts(_:to:)``): one lock of the channel, one insert, one commit. The
    /// announcements are appended by the statement that stores the messages, and the
    /// cluster's broker delivers them from the event log: every process delivers this
    /// channel's new messages in history order. `broker` is not needed for that.
    func postMessage(
        channelId: String, userId: String, content: String, clientId: String?, mentioning: Set<String>,
        announce: @escaping @Sendable (_ message: Message, _ mentioned: [String]) -> [Announcement], through broker: any Broker
    ) async throws -> (message: Message, created: Bool) {
        let (terms, now) = (Self.searchTerms(content), now())
        return try await posts.commit(under: channelId, by: { batch in await self.storePosts(batch, to: channelId) }) { answer in
            PendingPost(
                userId: userId, content: content, clientId: clientId, mentioning: mentioning, searchTerms: terms, postedAt: now,
                announce: announce, answer: answer)
        }
    }

    func message(id: String) async throws -> Message? {
        try await withConnection { [logger] connection in
            let rows = try await Self.rows(
                PostgresQuery(unsafeSQL: Self.messageColumns + " WHERE msg.id = $1 AND NOT msg.deleted", binds: Self.bindings(id)),
                on: connection, logger: logger)
            return try await Self.messages(from: rows, on: connection, logger: logger).first
        }
    }

    func history(channelId: String, before: String?, after: String?, limit: Int) async throws -> [Message] {
        try await withConnection { [logger] connection in
            func seq(of cursor: String) async throws -> Int64 {
                guard let row = try await Self.rows(
                    "SELECT seq FROM messages WHERE id = \(cursor) AND channel_id = \(channelId)", on: connection, logger: logger
                ).first else { throw StorageError.notFound("cursor message \(cursor.prefix(64))") }
                return try row["seq"].decode(Int64.self)
            }
            // A missing bound is the whole range: seq is never 0 or below, nor Int64.max.
            var lower: Int64 = 0, upper: Int64 = .max
            if let after { lower = try await seq(of: after) }
            if let before { upper = try await seq(of: before) }
            // With `after` the page starts right after the cursor; otherwise it ends at the newest.
            let newestFirst = after == nil
            var bindings = Self.bindings(channelId)
            bindings.append(lower)
            bindings.append(upper)
            bindings.append(limit)
            let query = PostgresQuery(unsafeSQL: Self.messageColumns + """
                 WHERE msg.channel_id = $1 AND NOT msg.deleted AND msg.seq > $2 AND msg.seq < $3
                 ORDER BY msg.seq \(newestFirst ? "DESC" : "ASC") LIMIT $4
                """, binds: bindings)
            var rows = try await Self.rows(query, on: connection, logger: logger)
            if newestFirst { rows.reverse() }
            return try await Self.messages(from: rows, on: connection, logger: logger)
        }
    }

    func history(channelId: String, around id: String, limit: Int) async throws -> [Message] {
        try await withConnection { [logger] connection in
            guard let centreRow = try await Self.rows(
                "SELECT seq FROM messages WHERE id = \(id) AND channel_id = \(channelId) AND NOT deleted", on: connection, logger: logger
            ).first else { throw StorageError.notFound("message \(id.prefix(64))") }
            let seq = try centreRow["seq"].decode(Int64.self)
            let others = limit - 1
            func side(_ comparison: String, _ order: String) async throws -> [PostgresRandomAccessRow] {
                var bindings = Self.bindings(channelId)
                bindings.append(seq)
                bindings.append(others)
                return try await Self.rows(PostgresQuery(unsafeSQL: Self.messageColumns + """
                     WHERE msg.channel_id = $1 AND NOT msg.deleted AND msg.seq \(comparison) $2 ORDER BY msg.seq \(order) LIMIT $3
                    """, binds: bindings), on: connection, logger: logger)
            }
            let older = try await side("<", "DESC")
            let newer = try await side(">", "ASC")
            // Half before and half after; a side with fewer gives its share to the other.
            let olderCount = min(older.count, max(others / 2, others - newer.count))
            let newerCount = min(newer.count, others - olderCount)
            var centreBindings = PostgresBindings()
            centreBindings.append(seq)
            let centre = try await Self.rows(
                PostgresQuery(unsafeSQL: Self.messageColumns + " WHERE msg.seq = $1", binds: centreBindings), on: connection, logger: logger)
            let rows = Array(older.prefix(olderCount).reversed()) + centre + Array(newer.prefix(newerCount))
            return try await Self.messages(from: rows, on: connection, logger: logger)
        }
    }

    func searchMessages(words: [String], viewerId: String, channelId: String?, limit: Int) async throws -> [Message] {
        // Each word a quoted prefix lexeme ('word':*, quotes and backslashes escaped), folded
        // as the index is: the words are data, and all of them must match.
        let lexemes = words.flatMap { SearchQuery.terms(in: $0) }.map { term in
            "'" + term.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "':*"
        }
        guard !lexemes.isEmpty else { return [] }
        var bindings = Self.bindings(lexemes.joined(separator: " & "), viewerId)
        bindings.append(channelId)
        bindings.append(limit)
        let query = PostgresQuery(unsafeSQL: Self.messageColumns + """
             WHERE msg.search_terms @@ $1::tsquery AND NOT msg.deleted
               AND msg.channel_id IN (SELECT channel_id FROM memberships WHERE user_id = $2)
               AND ($3::text IS NULL OR msg.channel_id = $3)
             ORDER BY msg.seq DESC LIMIT $4
            """, binds: bindings)
        return try await withConnection { [logger] connection in
            try await Self.messages(from: Self.rows(query, on: connection, logger: logger), on: connection, logger: logger)
        }
    }

    func editMessage(
        id: String, content: String, announce: @escaping @Sendable (_ edited: Message) -> [Announcement], through broker: any Broker
    ) async throws -> Message {
        let terms = Self.searchTerms(content)
        return try await transaction { [logger, now = now()] connection in
            let updated = try await Self.rows("""
                UPDATE messages SET content = \(content), updated_at = GREATEST(\(now), created_at + 1),
                    search_terms = array_to_tsvector(\(terms)::text[])
                WHERE id = \(id) AND NOT deleted RETURNING seq
                """, on: connection, logger: logger)
            guard !updated.isEmpty else { throw StorageError.notFound("message") }
            let rows = try await Self.rows(
                PostgresQuery(unsafeSQL: Self.messageColumns + " WHERE msg.id = $1", binds: Self.bindings(id)), on: connection, logger: logger)
            guard let message = try await Self.messages(from: rows, on: connection, logger: logger).first else {
                throw StorageError.notFound("message")
            }
            try await Self.append(announce(message), on: connection, logger: logger)
            return message
        }
    }

    func deleteMessage(id: String, announcements: [Announcement], through broker: any Broker) async throws {
        try await transaction { [logger] connection in
            let deleted = try await Self.rows(
                "UPDATE messages SET deleted = true WHERE id = \(id) AND NOT deleted RETURNING seq", on: connection, logger: logger)
            guard !deleted.isEmpty else { throw StorageError.notFound("message") }
            try await connection.query("DELETE FROM reactions WHERE message_id = \(id)", logger: logger)
            try await Self.append(announcements, on: connection, logger: logger)
        }
    }

    func react(
        messageId: String, userId: String, emoji: String, add: Bool, announcements: [Announcement], through broker: any Broker
    ) async throws -> (changed: Bool, count: Int) {
        try await transaction { [logger] connection in
            let changed = add
                ? try await Self.rows("""
                    INSERT INTO reactions (message_id, user_id, emoji) VALUES (\(messageId), \(userId), \(emoji))
                    ON CONFLICT DO NOTHING RETURNING 1
                    """, on: connection, logger: logger)
                : try await Self.rows("""
                    DELETE FROM reactions WHERE message_id = \(messageId) AND user_id = \(userId) AND emoji = \(emoji) RETURNING 1
                    """, on: connection, logger: logger)
            let count = try await Self.rows(
                "SELECT COUNT(*) AS count FROM reactions WHERE message_id = \(messageId) AND emoji = \(emoji)",
                on: connection, logger: logger
            ).first?["count"].decode(Int.self) ?? 0
            if !changed.isEmpty { try await Self.append(announcements, on: connection, logger: logger) }
            return (!changed.isEmpty, count)
        }
    }

    /// Appends `announcements` to the cluster's event log as the last statements of the
    /// transaction on `connection`, which stores what they announce: their ids are taken
    /// under the log's lock, held until this commit, so that every process delivers them in
    /// the order the changes were stored (see ``ClusterEventLog``).
    static func append(_ announcements: [Announcement], on connection: PostgresConnection, logger: Logger) async throws {
        try await ClusterEventLog.append(
            announcements.map { ClusterEvent(frame: $0.frame, audience: $0.audience) }, on: connection, logger: logger)
    }

    /// Bindings of these values (strings, or arrays of strings), as $1, $2, …
    static func bindings<Value: PostgresNonThrowingEncodable>(_ values: Value...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }

    /// Messages from rows of `messageColumns`, with their reactions aggregated per emoji.
    static func messages(
        from rows: [PostgresRandomAccessRow], on connection: PostgresConnection, logger: Logger
    ) async throws -> [Message] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0["id"].decode(String.self) }
        var reactions = ReactionTally()
        let reactionRows = try await Self.rows(
            "SELECT message_id, emoji, user_id FROM reactions WHERE message_id = ANY(\(ids)) ORDER BY seq",
            on: connection, logger: logger)
        for row in reactionRows {
            reactions.add(
                messageId: try row["message_id"].decode(String.self), emoji: try row["emoji"].decode(String.self),
                userId: try row["user_id"].decode(String.self))
        }
        return try rows.map { row in
            let id = try row["id"].decode(String.self)
            let userId = try row["user_id"].decode(String.self)
            return Message(
                id: id, content: try row["content"].decode(String.self), channelId: try row["channel_id"].decode(String.self),
                userId: userId, createdAt: date(try row["created_at"].decode(Int64.self)),
                updatedAt: date(try row["updated_at"].decode(Int64.self)),
                user: User(id: userId, username: try row["username"].decode(String.self), email: try row["email"].decode(String.self)),
                reactions: reactions.byMessage[id] ?? [], clientId: try row["client_id"].decode(String?.self))
        }
    }
}
