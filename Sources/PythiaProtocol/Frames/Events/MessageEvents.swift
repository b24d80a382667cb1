public import Foundation

/// `new_message` and `message_updated`: a message and when the event was sent.
public struct MessageEvent: Codable, Hashable, Sendable {
    /// The message.
    public var data: Message
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(data: Message, timestamp: Date) {
        self.data = data
        self.timestamp = timestamp
    }
}

/// `message_deleted`: a message is gone.
public struct MessageDeleted: Codable, Hashable, Sendable {
    /// The deleted message.
    public var messageId: String
    /// Its channel.
    public var channelId: String
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(messageId: String, channelId: String, timestamp: Date) {
        self.messageId = messageId
        self.channelId = channelId
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case messageId = "message_id"
        case channelId = "channel_id"
    }
}

/// `message_reaction`: one user added or removed one reaction.
public struct MessageReaction: Codable, Hashable, Sendable {
    /// The message reacted to.
    public var messageId: String
    /// Its channel (added by `API.md`; absent on servers that only follow `websocket-api.md`).
    public var channelId: String?
    /// What changed.
    public var data: ReactionChange
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(messageId: String, channelId: String?, data: ReactionChange, timestamp: Date) {
        self.messageId = messageId
        self.channelId = channelId
        self.data = data
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case data, timestamp
        case messageId = "message_id"
        case channelId = "channel_id"
    }
}

/// The `data` of `message_reaction`.
public struct ReactionChange: Codable, Hashable, Sendable {
    /// The emoji.
    public var emoji: String
    /// Who reacted.
    public var userId: String
    /// Their name.
    public var username: String
    /// `add` or `remove`.
    public var action: ReactionAction

    /// Creates a reaction change.
    public init(emoji: String, userId: String, username: String, action: ReactionAction) {
        self.emoji = emoji
        self.userId = userId
        self.username = username
        self.action = action
    }

    enum CodingKeys: String, CodingKey {
        case emoji, username, action
        case userId = "user_id"
    }
}

/// `mention_notification`: the receiving user was named in a message.
public struct MentionNotification: Codable, Hashable, Sendable {
    /// The mention.
    public var data: Mention
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(data: Mention, timestamp: Date) {
        self.data = data
        self.timestamp = timestamp
    }
}

/// The `data` of `mention_notification`.
public struct Mention: Codable, Hashable, Sendable {
    /// The message that mentions.
    public var messageId: String
    /// Its channel.
    public var channelId: String
    /// Its text.
    public var content: String
    /// The author's id.
    public var fromUserId: String
    /// The author's name.
    public var fromUsername: String

    /// Creates a mention.
    public init(messageId: String, channelId: String, content: String, fromUserId: String, fromUsername: String) {
        self.messageId = messageId
        self.channelId = channelId
        self.content = content
        self.fromUserId = fromUserId
        self.fromUsername = fromUsername
    }

    enum CodingKeys: String, CodingKey {
        case content
        case messageId = "message_id"
        case channelId = "channel_id"
        case fromUserId = "from_user_id"
        case fromUsername = "from_username"
    }
}
