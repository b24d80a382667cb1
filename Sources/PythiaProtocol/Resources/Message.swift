public import Foundation

/// A chat message: exactly the `data` of the `new_message` frame, plus its reactions.
public struct Message: Codable, Hashable, Sendable, Identifiable {
    /// The message's id.
    public var id: String
    /// The text, 1–4000 characters after trimming.
    public var content: String
    /// The channel it was posted to.
    public var channelId: String
    /// The author's id.
    public var userId: String
    /// When the server stored it.
    public var createdAt: Date
    /// When it was last edited (equal to `createdAt` if never).
    public var updatedAt: Date
    /// The author.
    public var user: User
    /// Reactions aggregated per emoji, in the order they were first made.
    public var reactions: [ReactionSummary]

    /// Creates a message value.
    public init(
        id: String, content: String, channelId: String, userId: String,
        createdAt: Date, updatedAt: Date, user: User, reactions: [ReactionSummary] = []
    ) {
        self.id = id
        self.content = content
        self.channelId = channelId
        self.userId = userId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.user = user
        self.reactions = reactions
    }

    /// Whether the message was edited after it was posted.
    public var isEdited: Bool { updatedAt > createdAt }

    enum CodingKeys: String, CodingKey {
        case id, content, channelId, userId, createdAt, updatedAt, user, reactions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        content = try container.decode(String.self, forKey: .content)
        channelId = try container.decode(String.self, forKey: .channelId)
        let user = try container.decodeIfPresent(User.self, forKey: .user)
        let userId = try container.decodeIfPresent(String.self, forKey: .userId) ?? user?.id ?? ""
        self.userId = userId
        self.user = user ?? User(id: userId, username: userId, email: "")
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(Date.self, forKey: .updatedAt) ?? createdAt
        reactions = try container.decodeIfPresent([ReactionSummary].self, forKey: .reactions) ?? []
    }
}

/// How many users reacted to a message with one emoji, and who.
public struct ReactionSummary: Codable, Hashable, Sendable {
    /// The emoji, 1–32 characters.
    public var emoji: String
    /// How many users reacted with it.
    public var count: Int
    /// Who reacted, in the order they did.
    public var userIds: [String]

    /// Creates a reaction summary.
    public init(emoji: String, count: Int, userIds: [String]) {
        self.emoji = emoji
        self.count = count
        self.userIds = userIds
    }
}
