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
