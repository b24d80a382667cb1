public import Foundation

/// `typing_indicator` from the server: someone started or stopped typing.
public struct TypingIndicator: Codable, Hashable, Sendable {
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
public struct PresenceStatus: RawRepresentable, Codable, Hashable, Sendable {
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
public struct UserStatus: Codable, Hashable, Sendable {
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
public struct MembershipChange: Codable, Hashable, Sendable {
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
