public import Foundation

/// `typing_indicator` from the server: someone started or stopped typing.
public struct TypingIndicator: Encodable, Hashable, Sendable {
    /// Who is typing.
    public var userId: String
    /// Where.
    public var channelId: String
    /// Whether they are typing now.
    public var isTyping: Bool
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(userId: String, channelId: String, isTyping: Bool, timestamp: Date) {
        self.userId = userId
        self.channelId = channelId
        self.isTyping = isTyping
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case userId = "user_id"
        case channelId = "channel_id"
        case isTyping = "is_typing"
    }
}

/// A user's presence.
public struct PresenceStatus: RawRepresentable, Encodable, Hashable, Sendable {
    /// The wire value.
    public var rawValue: String
    /// Creates a status from its wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// At least one live connection.
    public static let online = PresenceStatus(rawValue: "online")
    /// No live connection.
    public static let offline = PresenceStatus(rawValue: "offline")
}

/// `user_status`: a user came online or went offline.
public struct UserStatus: Encodable, Hashable, Sendable {
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

/// `user_joined` / `user_left`: a user joined or left a channel's room or membership.
public struct MembershipChange: Encodable, Hashable, Sendable {
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

extension TypingIndicator: JSONDecodable {
    /// Reads `typing_indicator`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var userId: String?, channelId: String?, isTyping: Bool?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "user_id": userId = try reader.read(String.self)
            case "channel_id": channelId = try reader.read(String.self)
            case "is_typing": isTyping = try reader.read(Bool.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            userId: try reader.required(userId, "user_id", objectAt: start),
            channelId: try reader.required(channelId, "channel_id", objectAt: start),
            isTyping: try reader.required(isTyping, "is_typing", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
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
