public import Foundation

/// `user_status`: a user came online or went offline.
public struct UserStatus: Hashable, Sendable {
    /// The user.
    public var userId: String
    /// `online` or `offline`.
    public var status: PresenceStatus
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(userId: String, status: PresenceStatus, timestamp: Date) {
        self.userId = userId
        self.status = status
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case status, timestamp
        case userId = "user_id"
    }
}

extension UserStatus: JSONDecodable {
    /// Reads `user_status`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var userId: String?, status: String?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "user_id": userId = try reader.read(String.self)
            case "status": status = try reader.read(String.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            userId: try reader.required(userId, "user_id", objectAt: start),
            status: PresenceStatus(rawValue: try reader.required(status, "status", objectAt: start)),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension UserStatus: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(userId, for: CodingKeys.userId)
        writer.write(status, for: CodingKeys.status)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
