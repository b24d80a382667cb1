public import Foundation

/// `message_reaction`: one user added or removed one reaction.
public struct MessageReaction: Hashable, Sendable {
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

extension MessageReaction: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(messageId, for: CodingKeys.messageId)
        writer.write(channelId, for: CodingKeys.channelId)
        writer.write(data, for: CodingKeys.data)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
