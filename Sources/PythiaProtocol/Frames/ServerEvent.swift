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

extension ServerEvent: JSONDecodable {
    /// Reads a frame: finds its `type` wherever it stands, then reads the whole object as
    /// that event; an unknown `type` is validated and kept as ``unknown(type:)``.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = reader.offset
        let type = try Self.findType(&reader)
        reader.offset = start
        switch type {
        case "connection_established": self = .connectionEstablished(try reader.read(ConnectionEstablished.self))
        case "channel_joined": self = .channelJoined(try reader.read(ChannelAck.self))
        case "channel_left": self = .channelLeft(try reader.read(ChannelAck.self))
        case "pong": self = .pong(try reader.read(Pong.self))
        case "online_users": self = .onlineUsers(try reader.read(OnlineUsers.self))
        case "new_message": self = .newMessage(try reader.read(MessageEvent.self))
        case "message_updated": self = .messageUpdated(try reader.read(MessageEvent.self))
        case "message_deleted": self = .messageDeleted(try reader.read(MessageDeleted.self))
        case "message_reaction": self = .messageReaction(try reader.read(MessageReaction.self))
        case "typing_indicator": self = .typingIndicator(try reader.read(TypingIndicator.self))
        case "user_status": self = .userStatus(try reader.read(UserStatus.self))
        case "user_joined": self = .userJoined(try reader.read(MembershipChange.self))
        case "user_left": self = .userLeft(try reader.read(MembershipChange.self))
        case "mention_notification": self = .mentionNotification(try reader.read(MentionNotification.self))
        case "error": self = .error(try reader.read(ErrorEvent.self))
        default:
            try reader.skipValue()
            self = .unknown(type: type)
        }
    }

    /// The object's `type`, reading members only up to it (servers write it first).
    /// The reader's position and nesting are left mid-object: the caller rewinds.
    private static func findType(_ reader: inout JSONReader) throws(JSONError) -> String {
        let depth = reader.depth
        defer { reader.depth = depth }
        let start = try reader.beginObject()
        while let key = try reader.nextKey() {
            if case "type" = key { return try reader.read(String.self) }
            try reader.skipValue()
        }
        throw JSONError(.missingField("type"), at: start)
    }
}

extension ServerEvent: JSONObjectEncodable {
    private enum TypeKey: String, CodingKey { case type }

    /// Writes `type` and the payload's members, in one object.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(type, for: TypeKey.type)
        switch self {
        case .connectionEstablished(let payload): payload.writeMembers(json: &writer)
        case .channelJoined(let payload), .channelLeft(let payload): payload.writeMembers(json: &writer)
        case .pong(let payload): payload.writeMembers(json: &writer)
        case .onlineUsers(let payload): payload.writeMembers(json: &writer)
        case .newMessage(let payload), .messageUpdated(let payload): payload.writeMembers(json: &writer)
        case .messageDeleted(let payload): payload.writeMembers(json: &writer)
        case .messageReaction(let payload): payload.writeMembers(json: &writer)
        case .typingIndicator(let payload): payload.writeMembers(json: &writer)
        case .userStatus(let payload): payload.writeMembers(json: &writer)
        case .userJoined(let payload), .userLeft(let payload): payload.writeMembers(json: &writer)
        case .mentionNotification(let payload): payload.writeMembers(json: &writer)
        case .error(let payload): payload.writeMembers(json: &writer)
        case .unknown: break
        }
    }
}
