import Foundation

/// The `data` of `message_reaction`.
public struct ReactionChange: Hashable, Sendable {
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

extension ReactionChange: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(emoji, for: CodingKeys.emoji)
        writer.write(userId, for: CodingKeys.userId)
        writer.write(username, for: CodingKeys.username)
        writer.write(action, for: CodingKeys.action)
    }
}
