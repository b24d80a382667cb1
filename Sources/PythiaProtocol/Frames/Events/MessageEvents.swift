public import Foundation

/// `new_message` and `message_updated`: a message and when the event was sent.
public struct MessageEvent: Encodable, Hashable, Sendable {
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
public struct MessageDeleted: Encodable, Hashable, Sendable {
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
public struct MessageReaction: Encodable, Hashable, Sendable {
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
public struct ReactionChange: Encodable, Hashable, Sendable {
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
public struct MentionNotification: Encodable, Hashable, Sendable {
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
public struct Mention: Encodable, Hashable, Sendable {
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

extension MessageEvent: JSONDecodable {
    /// Reads `new_message` / `message_updated` (its `type` is skipped like any unknown field).
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var data: Message?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "data": data = try reader.read(Message.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            data: try reader.required(data, "data", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension MessageDeleted: JSONDecodable {
    /// Reads `message_deleted`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var messageId: String?, channelId: String?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "message_id": messageId = try reader.read(String.self)
            case "channel_id": channelId = try reader.read(String.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            messageId: try reader.required(messageId, "message_id", objectAt: start),
            channelId: try reader.required(channelId, "channel_id", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension MessageReaction: JSONDecodable {
    /// Reads `message_reaction`; `channel_id` may be absent.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var messageId: String?, channelId: String?, data: ReactionChange?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "message_id": messageId = try reader.read(String.self)
            case "channel_id": channelId = try reader.readIfPresent(String.self)
            case "data": data = try reader.read(ReactionChange.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            messageId: try reader.required(messageId, "message_id", objectAt: start),
            channelId: channelId,
            data: try reader.required(data, "data", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension ReactionChange: JSONDecodable {
    /// Reads the `data` of `message_reaction`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var emoji: String?, userId: String?, username: String?, action: String?
        while let key = try reader.nextKey() {
            switch key {
            case "emoji": emoji = try reader.read(String.self)
            case "user_id": userId = try reader.read(String.self)
            case "username": username = try reader.read(String.self)
            case "action": action = try reader.read(String.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            emoji: try reader.required(emoji, "emoji", objectAt: start),
            userId: try reader.required(userId, "user_id", objectAt: start),
            username: try reader.required(username, "username", objectAt: start),
            action: ReactionAction(rawValue: try reader.required(action, "action", objectAt: start)))
    }
}

extension MentionNotification: JSONDecodable {
    /// Reads `mention_notification`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var data: Mention?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "data": data = try reader.read(Mention.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            data: try reader.required(data, "data", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension Mention: JSONDecodable {
    /// Reads the `data` of `mention_notification`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var messageId: String?, channelId: String?, content: String?, fromUserId: String?, fromUsername: String?
        while let key = try reader.nextKey() {
            switch key {
            case "message_id": messageId = try reader.read(String.self)
            case "channel_id": channelId = try reader.read(String.self)
            case "content": content = try reader.read(String.self)
            case "from_user_id": fromUserId = try reader.read(String.self)
            case "from_username": fromUsername = try reader.read(String.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            messageId: try reader.required(messageId, "message_id", objectAt: start),
            channelId: try reader.required(channelId, "channel_id", objectAt: start),
            content: try reader.required(content, "content", objectAt: start),
            fromUserId: try reader.required(fromUserId, "from_user_id", objectAt: start),
            fromUsername: try reader.required(fromUsername, "from_username", objectAt: start))
    }
}
