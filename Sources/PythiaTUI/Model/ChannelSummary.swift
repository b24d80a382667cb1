/// One entry of the channel list.
public struct ChannelSummary: Hashable, Sendable, Identifiable {
    /// The channel's id.
    public var id: String
    /// Its name, without `#`.
    public var name: String
    /// Its description.
    public var description: String
    /// Whether it is private (invitation only).
    public var isPrivate: Bool
    /// Messages not yet seen.
    public var unread: Int
    /// Unseen messages that mention me.
    public var mentions: Int

    /// Creates an entry.
    public init(id: String, name: String, description: String = "", isPrivate: Bool = false, unread: Int = 0, mentions: Int = 0) {
        self.id = id
        self.name = name
        self.description = description
        self.isPrivate = isPrivate
        self.unread = unread
        self.mentions = mentions
    }
}
