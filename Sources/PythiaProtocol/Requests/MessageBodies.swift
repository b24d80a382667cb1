/// The body of `POST /api/v1/messages/`.
public struct PostMessageRequest: Codable, Hashable, Sendable {
    /// The channel to post to.
    public var channelId: String
    /// The text.
    public var content: String
    /// A client-chosen key (≤ 64 characters) that makes the post idempotent per user.
    public var clientId: String?

    /// Creates a post body.
    public init(channelId: String, content: String, clientId: String? = nil) {
        self.channelId = channelId
        self.content = content
        self.clientId = clientId
    }

    enum CodingKeys: String, CodingKey {
        case content
        case channelId = "channel_id"
        case clientId = "client_id"
    }
}

extension PostMessageRequest: JSONDecodable {
    /// Reads a post body (the server's reading of `POST /api/v1/messages/`).
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var channelId: String?, content: String?, clientId: String?
        while let key = try reader.nextKey() {
            switch key {
            case "channel_id": channelId = try reader.readField(String.self, named: "channel_id")
            case "content": content = try reader.readField(String.self, named: "content")
            case "client_id": clientId = try reader.readFieldIfPresent(String.self, named: "client_id")
            default: try reader.skipValue()
            }
        }
        self.init(
            channelId: try reader.required(channelId, "channel_id", objectAt: start),
            content: try reader.required(content, "content", objectAt: start), clientId: clientId)
    }
}

/// The body of `PATCH /api/v1/messages/{id}`.
public struct EditMessageRequest: Codable, Hashable, Sendable {
    /// The new text.
    public var content: String

    /// Creates an edit body.
    public init(content: String) { self.content = content }
}

extension EditMessageRequest: JSONDecodable {
    /// Reads an edit body.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var content: String?
        while let key = try reader.nextKey() {
            switch key {
            case "content": content = try reader.readField(String.self, named: "content")
            default: try reader.skipValue()
            }
        }
        self.init(content: try reader.required(content, "content", objectAt: start))
    }
}

/// Whether a reaction is added or removed.
public struct ReactionAction: RawRepresentable, Codable, Hashable, Sendable {
    /// The wire value.
    public var rawValue: String
    /// Creates an action from its wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Adds the caller's reaction.
    public static let add = ReactionAction(rawValue: "add")
    /// Removes the caller's reaction.
    public static let remove = ReactionAction(rawValue: "remove")
}

/// The body of `POST /api/v1/messages/reactions`.
public struct ReactionRequest: Codable, Hashable, Sendable {
    /// The message reacted to.
    public var messageId: String
    /// The emoji, 1–32 characters.
    public var emoji: String
    /// `add` (the default) or `remove`.
    public var action: ReactionAction?

    /// Creates a reaction body.
    public init(messageId: String, emoji: String, action: ReactionAction? = nil) {
        self.messageId = messageId
        self.emoji = emoji
        self.action = action
    }

    enum CodingKeys: String, CodingKey {
        case emoji, action
        case messageId = "message_id"
    }
}

extension ReactionRequest: JSONDecodable {
    /// Reads a reaction body; `action` may be absent or `null`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var messageId: String?, emoji: String?, action: String?
        while let key = try reader.nextKey() {
            switch key {
            case "message_id": messageId = try reader.readField(String.self, named: "message_id")
            case "emoji": emoji = try reader.readField(String.self, named: "emoji")
            case "action": action = try reader.readFieldIfPresent(String.self, named: "action")
            default: try reader.skipValue()
            }
        }
        self.init(
            messageId: try reader.required(messageId, "message_id", objectAt: start),
            emoji: try reader.required(emoji, "emoji", objectAt: start), action: action.map(ReactionAction.init(rawValue:)))
    }
}

/// What `POST /api/v1/messages/reactions` answers.
public struct ReactionResponse: Encodable, Hashable, Sendable {
    /// The message reacted to.
    public var messageId: String
    /// The emoji.
    public var emoji: String
    /// What was asked.
    public var action: ReactionAction
    /// How many users now react with this emoji.
    public var count: Int

    /// Creates a reaction response.
    public init(messageId: String, emoji: String, action: ReactionAction, count: Int) {
        self.messageId = messageId
        self.emoji = emoji
        self.action = action
        self.count = count
    }

    enum CodingKeys: String, CodingKey {
        case emoji, action, count
        case messageId = "message_id"
    }
}

extension ReactionResponse: JSONDecodable {
    /// Reads a reaction response; every field is required.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var messageId: String?, emoji: String?, action: String?, count: Int?
        while let key = try reader.nextKey() {
            switch key {
            case "message_id": messageId = try reader.read(String.self)
            case "emoji": emoji = try reader.read(String.self)
            case "action": action = try reader.read(String.self)
            case "count": count = try reader.read(Int.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            messageId: try reader.required(messageId, "message_id", objectAt: start),
            emoji: try reader.required(emoji, "emoji", objectAt: start),
            action: ReactionAction(rawValue: try reader.required(action, "action", objectAt: start)),
            count: try reader.required(count, "count", objectAt: start))
    }
}
