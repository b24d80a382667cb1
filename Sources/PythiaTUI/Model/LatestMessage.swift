/// The newest message of a channel, as much as a notification needs of it.
public struct LatestMessage: Hashable, Sendable {
    /// The message id.
    public var id: String
    /// The author's user name.
    public var author: String
    /// The text.
    public var content: String
    /// Whether I wrote it.
    public var isMine: Bool
    /// Whether it mentions me (`@me`).
    public var mentionsMe: Bool

    /// Creates the summary.
    public init(id: String, author: String, content: String, isMine: Bool = false, mentionsMe: Bool = false) {
        self.id = id
        self.author = author
        self.content = content
        self.isMine = isMine
        self.mentionsMe = mentionsMe
    }
}
