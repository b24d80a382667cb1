public import Foundation

/// `message_deleted`: a message is gone.
public struct MessageDeleted: Hashable, Sendable {
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

extension MessageDeleted: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(messageId, for: CodingKeys.messageId)
        writer.write(channelId, for: CodingKeys.channelId)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
