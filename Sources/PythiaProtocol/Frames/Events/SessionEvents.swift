public import Foundation

/// `connection_established`: who the connection is authenticated as.
public struct ConnectionEstablished: Codable, Hashable, Sendable {
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
public struct ChannelAck: Codable, Hashable, Sendable {
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
public struct Pong: Codable, Hashable, Sendable {
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(timestamp: Date) { self.timestamp = timestamp }
}

/// `online_users`: the members of a channel with at least one live connection.
public struct OnlineUsers: Codable, Hashable, Sendable {
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
public struct ErrorEvent: Codable, Hashable, Sendable {
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        errorCode = try container.decodeIfPresent(ErrorCode.self, forKey: .errorCode) ?? .internalError
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
        details = try container.decodeIfPresent(String.self, forKey: .details)
    }
}
