import Foundation
import PostgresNIO
import PythiaProtocol

extension PostgresStorage {
    /// A post's outcome: its message and whether this post created it, or why it failed.
    typealias PostOutcome = Result<(message: Message, created: Bool), any Error>

    /// The most posts one statement stores, which bounds how long it holds its channel's lock.
    private static let rowsPerInsert = 1000

    /// Stores `batch`, posts to `channelId` in the order they arrived, and answers each once it
    /// has committed; a statement that fails fails the posts it held (a database out of reach
    /// as ``StorageError/unavailable(_:)``), and none of them was announced. At most
    /// ``rowsPerInsert`` posts share one statement, and so one commit.
    func storePosts(_ batch: [PendingPost], to channelId: String) async {
        for start in stride(from: 0, to: batch.count, by: Self.rowsPerInsert) {
            let posts = Array(batch[start..<min(start + Self.rowsPerInsert, batch.count)])
            let outcomes: [PostOutcome]
            do {
                outcomes = try await withConnection { [logger, authors] connection in
                    try await Self.insert(posts, into: channelId, authors: authors, on: connection, logger: logger)
                }
            } catch {
                for post in posts { post.answer.resume(throwing: error) }
                continue
            }
            for (post, outcome) in zip(posts, outcomes) { post.answer.resume(with: outcome) }
        }
    }

    /// Stores `posts` and appends their announcements in one statement, which commits on its
    /// own; one outcome per post, in order. A post's own failure (its author gone, or not a
    /// member) is its outcome, and leaves the others be; a missing channel is every post's.
    ///
    /// What the messages and their announcements hold is known before they are stored (their
    /// ids are made here, their authors read first), so that the channel's lock is held for
    /// that one statement and its commit, never across a round trip to this process: under
    /// load, a lock held while its holder waits for a core makes every other process's posts
    /// to the channel wait too.
    ///
    /// A `client_id` its author already used gives the message stored first, `created: false`:
    /// one posted earlier (even one that commits while this statement inserts: the unique index
    /// makes the insert wait for it) is read back after the commit; one posted earlier in this
    /// batch is that post's message.
    private static func insert(
        _ posts: [PendingPost], into channelId: String, authors cache: AuthorCache, on connection: PostgresConnection, logger: Logger
    ) async throws -> [PostOutcome] {
        // Whom each post mentions, and the authors as their messages show them.
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
        let authorIds = Set(posts.map(\.userId))
        var authors = cache.authors(authorIds)
        if authors.count < authorIds.count {
            let unknown = Array(authorIds.filter { authors[$0] == nil })
            let read = try await rows(PostAuthorsQuery(ids: unknown), on: connection, logger: logger).map { row in
                User(
                    id: try row["id"].decode(String.self), username: try row["username"].decode(String.self),
                    email: try row["email"].decode(String.self))
            }
            cache.remember(read)
            for author in read { authors[author.id] = author }
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
        var made: [Int: Message] = [:]
        var announcements: [(messageId: String, json: String)] = []
        for (index, post) in posts.enumerated() where retryOf[index] == nil {
            guard let author = authors[post.userId] else { continue }
            // What the insert stores, as a read-back would give it: a new message has no reactions.
            let message = Message(
                id: newID(), content: post.content, channelId: channelId, userId: post.userId,
                createdAt: date(post.postedAt), updatedAt: date(post.postedAt), user: author, reactions: [], clientId: post.clientId)
            made[index] = message
            for announcement in post.announce(message, mentioned[index]) {
                announcements.append((message.id, try ClusterEvent(frame: announcement.frame, audience: announcement.audience).json()))
            }
        }
        let toInsert = made.sorted { $0.key < $1.key }.map { (posts[$0.key], $0.value) }
        let values = PostGroupStatement.bindings(toInsert, announcements, in: channelId)
        guard let stored = try await announcements.isEmpty
            ? rows(SilentPostGroupStatement(values: values), on: connection, logger: logger).first
            : rows(PostGroupStatement(values: values), on: connection, logger: logger).first
        else {
            throw StorageError.notFound("the outcome of a statement that stores posts")
        }
        guard try stored["channel_found"].decode(Bool.self)
        else { return posts.map { _ in .failure(StorageError.notFound("channel")) } }
        let lockedAuthors = Set(try stored["authors"].decode([String].self))
        let members = Set(try stored["members"].decode([String].self))
        let inserted = Set(try stored["inserted"].decode([String].self))

        // Posts whose insert met the unique index: the message their client id already names,
        // committed by then.
        let repeated = made.filter { !inserted.contains($0.value.id) && members.contains($0.value.userId) }
            .compactMap { index, _ in posts[index].clientId.map { (posts[index].userId, $0) } }
        var existing: Result<[String: [String: Message]], any Error> = .success([:])
        if !repeated.isEmpty {
            do {
                existing = .success(try await storedMessages(byClientId: repeated, on: connection, logger: logger))
            } catch {
                existing = .failure(error)
            }
        }

        var outcomes: [PostOutcome] = []
        for (index, post) in posts.enumerated() {
            if let first = retryOf[index] {
                outcomes.append(outcomes[first].map { ($0.message, false) })
            } else if let message = made[index], inserted.contains(message.id) {
                outcomes.append(.success((message, true)))
            } else if !lockedAuthors.contains(post.userId) {
                outcomes.append(.failure(StorageError.notFound("user")))
            } else if !members.contains(post.userId) {
                outcomes.append(.failure(StorageError.notMember))
            } else {
                outcomes.append(existing.flatMap { existing in
                    guard let clientId = post.clientId, let message = existing[post.userId]?[clientId] else {
                        return .failure(StorageError.notFound("message"))
                    }
                    return .success((message, false))
                })
            }
        }
        return outcomes
    }

    /// The stored messages of these (author, client id) pairs, by author and client id.
    private static func storedMessages(
        byClientId pairs: [(userId: String, clientId: String)], on connection: PostgresConnection, logger: Logger
    ) async throws -> [String: [String: Message]] {
        let query = PostgresQuery(
            unsafeSQL: messageColumns + " WHERE (msg.user_id, msg.client_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))",
            binds: bindings(pairs.map(\.userId), pairs.map(\.clientId)))
        var byClientId: [String: [String: Message]] = [:]
        for message in try await messages(from: rows(query, on: connection, logger: logger), on: connection, logger: logger) {
            guard let clientId = message.clientId else { continue }
            byClientId[message.userId, default: [:]][clientId] = message
        }
        return byClientId
    }
}

/// The authors of a group of posts, as their messages show them.
private struct PostAuthorsQuery: PreparedQuery {
    static let sql = "SELECT id, username, email FROM users WHERE id = ANY($1::text[])"
    let ids: [String]
    func makeBindings() -> PostgresBindings { PostgresStorage.bindings(ids) }
}
