public import Foundation

/// `connection_established`: who the connection is authenticated as.
public struct ConnectionEstablished: Hashable, Sendable {
    /// The user's id.
    public var userId: String
    /// The user's name.
    public var username: String
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(userId: String, username: String, timestamp: Date) {
        self.userId = userId
        self.username = username
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case username, timestamp
        case userId = "user_id"
    }
}

extension ConnectionEstablished: JSONDecodable {
    /// Reads `connection_established`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var userId: String?, username: String?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "user_id": userId = try reader.read(String.self)
            case "username": username = try reader.read(String.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            userId: try reader.required(userId, "user_id", objectAt: start),
            username: try reader.required(username, "username", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension ConnectionEstablished: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(userId, for: CodingKeys.userId)
        writer.write(username, for: CodingKeys.username)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
