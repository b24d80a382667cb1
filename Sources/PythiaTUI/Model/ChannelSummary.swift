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
    /// The other person's username when this is a direct conversation (listed as `@name`).
    public var directWith: String?
    /// The newest message held, which a desktop notification quotes.
    public var latest: LatestMessage?

    /// Creates an entry.
    public init(
        id: String, name: String, description: String = "", isPrivate: Bool = false, unread: Int = 0, mentions: Int = 0,
        directWith: String? = nil, latest: LatestMessage? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.isPrivate = isPrivate
        self.unread = unread
        self.mentions = mentions
        self.directWith = directWith
        self.latest = latest
    }

    /// How the list, the status bar and the prompt name it: `@bob` or `#general`.
    public var label: String {
        Self.label(name: name, isPrivate: isPrivate, directWith: directWith)
    }

    /// A channel's label as ``label`` makes it: `@partner` for a direct conversation, else
    /// `*name` when private, `#name` when public.
    public static func label(name: String, isPrivate: Bool, directWith: String?) -> String {
        directWith.map { "@" + $0 } ?? (isPrivate ? "*" : "#") + name
    }
}
