public import Foundation

/// A frame the server sends over the WebSocket: every event of `websocket-api.md`, the
/// additions of `API.md`, and `unknown` for any type a newer server may add.
public enum ServerEvent: Hashable, Sendable {
    /// `connection_established`: the handshake is done and the rooms are joined.
    case connectionEstablished(ConnectionEstablished)
    /// `channel_joined`: answer to `join_channel`.
    case channelJoined(ChannelAck)
    /// `channel_left`: answer to `leave_channel`.
    case channelLeft(ChannelAck)
    /// `pong`: answer to `ping`.
    case pong(Pong)
    /// `online_users`: answer to `get_online_users`.
    case onlineUsers(OnlineUsers)
    /// `new_message`: a message was posted to a channel.
    case newMessage(MessageEvent)
    /// `message_updated`: a message was edited.
    case messageUpdated(MessageEvent)
    /// `message_deleted`: a message was deleted.
    case messageDeleted(MessageDeleted)
    /// `message_reaction`: a reaction was added or removed.
    case messageReaction(MessageReaction)
    /// `typing_indicator`: someone started or stopped typing.
    case typingIndicator(TypingIndicator)
    /// `user_status`: a user came online or went offline.
    case userStatus(UserStatus)
    /// `user_joined`: a user joined a channel's room or membership.
    case userJoined(MembershipChange)
    /// `user_left`: a user left a channel's room or membership.
    case userLeft(MembershipChange)
    /// `mention_notification`: the receiving user was mentioned.
    case mentionNotification(MentionNotification)
    /// `error`: a client frame was refused.
    case error(ErrorEvent)
    /// Any other `type`, kept so that clients can log and ignore it.
    case unknown(type: String)

    /// The frame's wire `type`.
    public var type: String {
        switch self {
        case .connectionEstablished: "connection_established"
        case .channelJoined: "channel_joined"
        case .channelLeft: "channel_left"
        case .pong: "pong"
        case .onlineUsers: "online_users"
        case .newMessage: "new_message"
        case .messageUpdated: "message_updated"
        case .messageDeleted: "message_deleted"
        case .messageReaction: "message_reaction"
        case .typingIndicator: "typing_indicator"
        case .userStatus: "user_status"
        case .userJoined: "user_joined"
        case .userLeft: "user_left"
        case .mentionNotification: "mention_notification"
        case .error: "error"
        case .unknown(let type): type
        }
    }
}

extension ServerEvent: Codable {
    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .type)
        switch type {
        case "connection_established": self = .connectionEstablished(try .init(from: decoder))
        case "channel_joined": self = .channelJoined(try .init(from: decoder))
        case "channel_left": self = .channelLeft(try .init(from: decoder))
        case "pong": self = .pong(try .init(from: decoder))
        case "online_users": self = .onlineUsers(try .init(from: decoder))
        case "new_message": self = .newMessage(try .init(from: decoder))
        case "message_updated": self = .messageUpdated(try .init(from: decoder))
        case "message_deleted": self = .messageDeleted(try .init(from: decoder))
        case "message_reaction": self = .messageReaction(try .init(from: decoder))
        case "typing_indicator": self = .typingIndicator(try .init(from: decoder))
        case "user_status": self = .userStatus(try .init(from: decoder))
        case "user_joined": self = .userJoined(try .init(from: decoder))
        case "user_left": self = .userLeft(try .init(from: decoder))
        case "mention_notification": self = .mentionNotification(try .init(from: decoder))
        case "error": self = .error(try .init(from: decoder))
        default: self = .unknown(type: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .connectionEstablished(let payload): try payload.encode(to: encoder)
        case .channelJoined(let payload), .channelLeft(let payload): try payload.encode(to: encoder)
        case .pong(let payload): try payload.encode(to: encoder)
        case .onlineUsers(let payload): try payload.encode(to: encoder)
        case .newMessage(let payload), .messageUpdated(let payload): try payload.encode(to: encoder)
        case .messageDeleted(let payload): try payload.encode(to: encoder)
        case .messageReaction(let payload): try payload.encode(to: encoder)
        case .typingIndicator(let payload): try payload.encode(to: encoder)
        case .userStatus(let payload): try payload.encode(to: encoder)
        case .userJoined(let payload), .userLeft(let payload): try payload.encode(to: encoder)
        case .mentionNotification(let payload): try payload.encode(to: encoder)
        case .error(let payload): try payload.encode(to: encoder)
        case .unknown: break
        }
    }
}
