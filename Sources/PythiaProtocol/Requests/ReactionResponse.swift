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
