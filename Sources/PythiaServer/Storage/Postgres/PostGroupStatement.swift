import PostgresNIO
import PythiaProtocol

/// The statement that stores a group of posts to one channel, each with the message made for
/// it, and appends the announcements of those inserted, in history order (see
/// ``PostgresStorage/storePosts(_:to:)``). It commits on its own. Its one row: whether the
/// channel was found (`channel_found`), the authors locked (`authors`), those of them who are
/// members of the channel (`members`), and the ids of the messages inserted (`inserted`).
///
/// The locks are taken in the order of the foreign keys and of every other change: the
/// channel (held to the commit: this channel's messages are numbered in commit order), then
/// the authors (a lateral join on the locked channel runs after it; a deletion of a channel's
/// creator locks the channel, then the user), then the event log's lock, taken once the insert
/// is done (``ClusterEventLog/appending(_:orderedBy:after:lock:channel:)``): ids commit in
/// increasing order. A post whose author is gone or not a member is not inserted; one whose
/// author already used its `client_id` is not either. (The membership is read as the statement
/// began, as a request's check before it would be: a member leaving meanwhile may still post
/// this once.)
///
/// Its text is the same for any number of posts (they come as arrays, one per column), so
/// that it is a ``PreparedQuery``.
struct PostGroupStatement: PreparedQuery {
    static let sql = text(announcing: true)
    let values: PostgresBindings
    func makeBindings() -> PostgresBindings { values }

    /// The bindings of the statement that stores `posts` in `channelId` and appends
    /// `announcements`, each with the id of the message it announces.
    static func bindings(
        _ posts: [(post: PendingPost, message: Message)], _ announcements: [(messageId: String, json: String)], in channelId: String
    ) -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(channelId)
        bindings.append(Array(Set(posts.map(\.post.userId))))
        bindings.append(posts.map(\.message.id))
        bindings.append(posts.map(\.post.userId))
        bindings.append(posts.map(\.post.content))
        // Arrays of optionals are not encodable: a flag tells which client ids are there.
        bindings.append(posts.map { $0.post.clientId ?? "" })
        bindings.append(posts.map { $0.post.clientId != nil })
        bindings.append(posts.map(\.post.postedAt))
        // Each post's search terms are a slice of one array: PostgreSQL's arrays are not ragged.
        var (terms, firstTerms, termCounts) = ([String](), [Int32](), [Int32]())
        for (post, _) in posts {
            firstTerms.append(Int32(terms.count + 1))
            termCounts.append(Int32(post.searchTerms.count))
            terms += post.searchTerms
        }
        bindings.append(firstTerms)
        bindings.append(termCounts)
        bindings.append(terms)
        if !announcements.isEmpty {
            bindings.append(announcements.map(\.messageId))
            bindings.append(announcements.map(\.json))
            bindings.append(ClusterEventLog.appendLock)
            bindings.append(ClusterEventLog.channel)
        }
        return bindings
    }

    /// The statement's text; with `announcing`, it appends the announcements of the messages
    /// inserted to the event log, and notifies them.
    static func text(announcing: Bool) -> String {
        var statements = [
            "channel AS (SELECT id FROM channels WHERE id = $1 FOR NO KEY UPDATE)",
            """
            author AS (
                SELECT locked.id FROM channel, LATERAL (
                    SELECT id FROM users WHERE id = ANY($2::text[]) AND channel.id IS NOT NULL FOR KEY SHARE
                ) AS locked)
            """,
            "member AS (SELECT user_id AS id FROM memberships WHERE channel_id = $1 AND user_id IN (SELECT id FROM author))",
            """
            inserted AS (
                INSERT INTO messages (id, channel_id, user_id, content, client_id, created_at, updated_at, search_terms)
                SELECT post.id, $1, post.user_id, post.content, CASE WHEN post.has_client_id THEN post.client_id END,
                       post.posted_at, post.posted_at, array_to_tsvector(($11::text[])[post.first_term : post.first_term + post.term_count - 1])
                FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::int8[], $9::int4[], $10::int4[])
                    WITH ORDINALITY AS post(id, user_id, content, client_id, has_client_id, posted_at, first_term, term_count, position)
                WHERE post.user_id IN (SELECT id FROM member)
                ORDER BY post.position
                ON CONFLICT (user_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
                RETURNING id, seq)
            """,
        ]
        var outcome = ["EXISTS (SELECT 1 FROM channel) AS channel_found", "ARRAY(SELECT id FROM author) AS authors",
            "ARRAY(SELECT id FROM member) AS members", "ARRAY(SELECT id FROM inserted) AS inserted"]
        if announcing {
            statements += ClusterEventLog.appending(
                """
                inserted JOIN unnest($12::text[], $13::text[]) WITH ORDINALITY AS announcement(message_id, json, position)
                    ON announcement.message_id = inserted.id
                """,
                orderedBy: "inserted.seq, announcement.position", after: "SELECT count(*) FROM inserted", lock: "$14", channel: "$15")
            // Read so that the notifications are made: a `WITH` query nothing reads is not run.
            outcome.append("(SELECT count(*) FROM notified) AS notified")
        }
        return "WITH " + statements.joined(separator: ",\n") + "\nSELECT " + outcome.joined(separator: ", ")
    }
}

/// ``PostGroupStatement`` for a group with nothing to announce: the event log is the
/// cluster's (its broker makes it), and a storage on its own may have none.
struct SilentPostGroupStatement: PreparedQuery {
    static let sql = PostGroupStatement.text(announcing: false)
    let values: PostgresBindings
    func makeBindings() -> PostgresBindings { values }
}
