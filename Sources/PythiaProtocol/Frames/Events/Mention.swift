import Foundation

/// The `data` of `mention_notification`.
public struct Mention: Hashable, Sendable {
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

extension Mention: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(messageId, for: CodingKeys.messageId)
        writer.write(channelId, for: CodingKeys.channelId)
        writer.write(content, for: CodingKeys.content)
        writer.write(fromUserId, for: CodingKeys.fromUserId)
        writer.write(fromUsername, for: CodingKeys.fromUsername)
    }
}
