import PythiaProtocol

/// A post waiting for its channel's next shared statement (see
/// ``PostgresStorage/storePosts(_:to:)``), with what its author's request brought.
struct PendingPost: Sendable {
    let userId: String
    let content: String
    let clientId: String?
    /// The lowercased usernames it names.
    let mentioning: Set<String>
    /// Its folded words, for the search index.
    let searchTerms: [String]
    /// When it was posted, in milliseconds since 1970.
    let postedAt: Int64
    /// Its announcements, once stored, given whom of `mentioning` the channel holds.
    let announce: @Sendable (_ message: Message, _ mentioned: [String]) -> [Announcement]
    /// Answered once the statement that holds it has committed, or has failed.
    let answer: CheckedContinuation<(message: Message, created: Bool), any Error>
}
