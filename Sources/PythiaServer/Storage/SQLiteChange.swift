import GRDB

/// A change (a post, an edit, a deletion, a reaction) waiting for SQLite's next shared
/// commit (see ``SQLiteStorage/commitTogether(announcingThrough:_:)``).
struct SQLiteChange: Sendable {
    /// What a change stored: its announcements, and how to answer its caller.
    struct Stored: Sendable {
        let announcements: [Announcement]
        let answer: @Sendable () -> Void
    }

    /// The change, run in its savepoint of the shared transaction.
    let work: @Sendable (Database) throws -> Stored
    /// Where its announcements go once committed.
    let broker: any Broker
    /// Answers its caller with the error that kept it from being stored.
    let fail: @Sendable (any Error) -> Void
}
