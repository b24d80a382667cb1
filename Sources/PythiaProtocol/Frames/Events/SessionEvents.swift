public import Foundation

/// `connection_established`: who the connection is authenticated as.
public struct ConnectionEstablished: Encodable, Hashable, Sendable {
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

/// `channel_joined` / `channel_left`: the answer to joining or leaving a room.
public struct ChannelAck: Encodable, Hashable, Sendable {
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

/// `pong`: the answer to `ping`.
public struct Pong: Encodable, Hashable, Sendable {
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(timestamp: Date) { self.timestamp = timestamp }
}

/// `online_users`: the members of a channel with at least one live connection.
public struct OnlineUsers: Encodable, Hashable, Sendable {
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

/// `error`: why a client frame was refused. The connection stays open.
public struct ErrorEvent: Encodable, Hashable, Sendable {
    /// The error code.
    public var errorCode: ErrorCode
    /// A short human-readable message.
    public var message: String
    /// More detail, when there is any.
    public var details: String?

    /// Creates the event.
    public init(errorCode: ErrorCode, message: String, details: String? = nil) {
        self.errorCode = errorCode
        self.message = message
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case message, details
        case errorCode = "error_code"
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

extension Pong: JSONDecodable {
    /// Reads `pong`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
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

extension ErrorEvent: JSONDecodable {
    /// Reads `error`; every field may be absent (`internal_error`, an empty message).
    public init(json reader: inout JSONReader) throws(JSONError) {
        try reader.beginObject()
        var errorCode: String?, message: String?, details: String?
        while let key = try reader.nextKey() {
            switch key {
            case "error_code": errorCode = try reader.readIfPresent(String.self)
            case "message": message = try reader.readIfPresent(String.self)
            case "details": details = try reader.readIfPresent(String.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            errorCode: ErrorCode(rawValue: errorCode ?? "internal_error"),
            message: message ?? "",
            details: details)
    }
}
