public import Foundation

/// `channel_joined` / `channel_left`: the answer to joining or leaving a room.
public struct ChannelAck: Hashable, Sendable {
    /// The channel.
    public var channelId: String
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(channelId: String, timestamp: Date) {
        self.channelId = channelId
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case channelId = "channel_id"
    }
}

extension ChannelAck: JSONDecodable {
    /// Reads `channel_joined` / `channel_left`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var channelId: String?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "channel_id": channelId = try reader.read(String.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            channelId: try reader.required(channelId, "channel_id", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension ChannelAck: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(channelId, for: CodingKeys.channelId)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
