public import Foundation

/// `user_joined` / `user_left`: a user joined or left a channel's room or membership.
public struct MembershipChange: Hashable, Sendable {
    /// The user.
    public var userId: String
    /// The channel.
    public var channelId: String
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(userId: String, channelId: String, timestamp: Date) {
        self.userId = userId
        self.channelId = channelId
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case userId = "user_id"
        case channelId = "channel_id"
    }
}

extension MembershipChange: JSONDecodable {
    /// Reads `user_joined` / `user_left`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var userId: String?, channelId: String?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "user_id": userId = try reader.read(String.self)
            case "channel_id": channelId = try reader.read(String.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            userId: try reader.required(userId, "user_id", objectAt: start),
            channelId: try reader.required(channelId, "channel_id", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension MembershipChange: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(userId, for: CodingKeys.userId)
        writer.write(channelId, for: CodingKeys.channelId)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
