public import Foundation

/// `online_users`: the members of a channel with at least one live connection.
public struct OnlineUsers: Hashable, Sendable {
    /// The channel.
    public var channelId: String
    /// The online members' ids, each once.
    public var users: [String]
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(channelId: String, users: [String], timestamp: Date) {
        self.channelId = channelId
        self.users = users
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case users, timestamp
        case channelId = "channel_id"
    }
}

extension OnlineUsers: JSONDecodable {
    /// Reads `online_users`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var channelId: String?, users: [String]?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "channel_id": channelId = try reader.read(String.self)
            case "users": users = try reader.read([String].self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            channelId: try reader.required(channelId, "channel_id", objectAt: start),
            users: try reader.required(users, "users", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension OnlineUsers: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(channelId, for: CodingKeys.channelId)
        writer.write(users, for: CodingKeys.users)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
