import Foundation
import PostgresNIO
import PythiaProtocol

extension PostgresStorage {
    /// A post's outcome: its message and whether this post created it, or why it failed.
    typealias PostOutcome = Result<(message: Message, created: Bool), any Error>

    /// The most rows one `INSERT` takes: 6 parameters each, under PostgreSQL's 65 535.
    private static let rowsPerInsert = 1000

    /// Stores `batch`, posts to `channelId` in the order they arrived, in one transaction, and
    /// answers each once it has committed; a transaction that fails fails them all (a database
    /// out of reach as ``StorageError/unavailable(_:)``), and none of them was announced.
    func storePosts(_ batch: [PendingPost], to channelId: String) async {
        let outcomes: [PostOutcome]
        do {
            outcomes = try await transaction { [logger] connection in
                try await Self.insert(batch, into: channelId, on: connection, logger: logger)
            }
        } catch {
            for post in batch { post.answer.resume(throwing: error) }
            return
        }
        for (post, outcome) in zip(batch, outcomes) { post.answer.resume(with: outcome) }
    }

    /// Inserts `posts` under one lock of their channel, then appends their announcements in
    /// history order; one outcome per post, in order. A post's own failure (its author gone)
    /// is its outcome, and leaves the others be; a missing channel is every post's.
    ///
    /// A `client_id` its author already used gives the message stored first, `created: false`:
    /// one posted by an earlier transaction (even one that commits while this one inserts:
    /// the unique index makes the insert wait for it) is read back; one posted earlier in this
    /// batch is that post's message.
    private static func insert(
        _ posts: [PendingPost], into channelId: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> [PostOutcome] {
        // Read before the channel's lock, which every post to this channel waits for: whom each post mentions.
        var mentioned: [[String]] = []
        for post in posts {
            guard !post.mentioning.isEmpty else {
                mentioned.append([])
                continue
            }
            mentioned.append(try await rows("""
                SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.channel_id = \(channelId) AND u.id <> \(post.userId) AND lower(u.username) = ANY(\(Array(post.mentioning)))
                """, on: connection, logger: logger).map { try $0["id"].decode(String.self) })
        }
        // One statement takes the channel's lock, held until the commit (this channel's messages
        // are numbered in commit order), then the authors' as their messages show them: kept from
        // deletion until the commit as the insert's foreign key would keep them, and locked after
        // the channel as that key is (a deletion of a channel's creator locks the channel, then
        // the user). The lateral join refers to the channel's row so that it runs after it: one
        // row per author, or one with no author, or none for a channel that is gone.
        let locked = try await rows("""
            WITH channel AS (SELECT id FROM channels WHERE id = \(channelId) FOR NO KEY UPDATE)
            SELECT author.id, author.username, author.email FROM channel LEFT JOIN LATERAL (
                SELECT id, username, email FROM users WHERE id = ANY(\(Array(Set(posts.map(\.userId))))) AND channel.id IS NOT NULL FOR KEY SHARE
            ) AS author ON true
            """, on: connection, logger: logger)
        guard !locked.isEmpty else { return posts.map { _ in .failure(StorageError.notFound("channel")) } }
        var authors: [String: User] = [:]
        for row in locked {
            guard let id = try row["id"].decode(String?.self) else { continue }
            authors[id] = User(id: id, username: try row["username"].decode(String.self), email: try row["email"].decode(String.self))
        }

        // A post repeating the client id of an earlier one of this batch is that one's retry.
        var firstWithClientId: [String: [String: Int]] = [:]
        var retryOf: [Int?] = []
        for (index, post) in posts.enumerated() {
            guard let clientId = post.clientId else {
                retryOf.append(nil)
                continue
            }
            retryOf.append(firstWithClientId[post.userId]?[clientId])
            if retryOf[index] == nil { firstWithClientId[post.userId, default: [:]][clientId] = index }
        }
        let ids = posts.map { _ in newID() }
        let toInsert = posts.indices.filter { authors[posts[$0].userId] != nil && retryOf[$0] == nil }
        var seqs: [String: Int64] = [:]
        for start in stride(from: 0, to: toInsert.count, by: rowsPerInsert) {
            let chunk = toInsert[start..<min(start + rowsPerInsert, toInsert.count)]
            for row in try await rows(insertion(of: chunk.map { (ids[$0], posts[$0]) }, into: channelId), on: connection, logger: logger) {
                seqs[try row["id"].decode(String.self)] = try row["seq"].decode(Int64.self)
            }
        }
        // Posts whose insert met the unique index: the message their client id already names.
        let repeated = toInsert.filter { seqs[ids[$0]] == nil }.compactMap { index in posts[index].clientId.map { (posts[index].userId, $0) } }
        var existing: [String: [String: Message]] = [:]
        if !repeated.isEmpty {
            let query = PostgresQuery(
                unsafeSQL: messageColumns + " WHERE (msg.user_id, msg.client_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))",
                binds: arrays(repeated.map(\.0), repeated.map(\.1)))
            for message in try await messages(from: rows(query, on: connection, logger: logger), on: connection, logger: logger) {
                guard let clientId = message.clientId else { continue }
                existing[message.userId, default: [:]][clientId] = message
            }
        }

        var outcomes: [PostOutcome] = []
        var stored: [(seq: Int64, index: Int, message: Message)] = []
        for (index, post) in posts.enumerated() {
            if let first = retryOf[index] {
                outcomes.append(outcomes[first].map { ($0.message, false) })
            } else if let author = authors[post.userId], let seq = seqs[ids[index]] {
                // What was just inserted, as a read-back would give it: a new message has no reactions.
                let message = Message(
                    id: ids[index], content: post.content, channelId: channelId, userId: post.userId,
                    createdAt: date(post.postedAt), updatedAt: date(post.postedAt), user: author, reactions: [], clientId: post.clientId)
                stored.append((seq, index, message))
                outcomes.append(.success((message, true)))
            } else if authors[post.userId] == nil {
                outcomes.append(.failure(StorageError.notFound("user")))
            } else if let clientId = post.clientId, let message = existing[post.userId]?[clientId] {
                outcomes.append(.success((message, false)))
            } else {
                outcomes.append(.failure(StorageError.notFound("message")))
            }
        }
        let announcements = stored.sorted { $0.seq < $1.seq }.flatMap { posts[$0.index].announce($0.message, mentioned[$0.index]) }
        try await append(announcements, on: connection, logger: logger)
        return outcomes
    }

    /// One `INSERT` of `posts` (each with its new message's id) into `channelId`, in this
    /// order, answering the `id` and `seq` of each row inserted; a row whose author already
    /// used its `client_id` is not inserted.
    private static func insertion(of posts: [(id: String, post: PendingPost)], into channelId: String) -> PostgresQuery {
        var bindings = PostgresBindings()
        bindings.append(channelId)
        var rows: [String] = []
        for (id, post) in posts {
            let first = bindings.count + 1
            bindings.append(id)
            bindings.append(post.userId)
            bindings.append(post.content)
            bindings.append(post.clientId)
            bindings.append(post.postedAt)
            bindings.append(post.searchTerms)
            let (userId, content, clientId, postedAt, terms) = (first + 1, first + 2, first + 3, first + 4, first + 5)
            rows.append("($\(first), $1, $\(userId), $\(content), $\(clientId), $\(postedAt), $\(postedAt), array_to_tsvector($\(terms)::text[]))")
        }
        return PostgresQuery(unsafeSQL: """
            INSERT INTO messages (id, channel_id, user_id, content, client_id, created_at, updated_at, search_terms)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (user_id, client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING id, seq
            """, binds: bindings)
    }

    /// Bindings of these arrays of strings, as $1, $2, …
    private static func arrays(_ values: [String]...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}
