import Foundation
public import PythiaProtocol

/// The whole client-side view of a chat: a plain value, changed only by ``ChatStore/apply(_:)``.
public struct ChatState: Hashable, Sendable {
    /// Who we are, once the server said so.
    public var me: User?
    /// The WebSocket's state.
    public var connection: ConnectionState
    /// With several servers: the one the connection uses, or is trying; `nil` with one.
    public var serverInUse: ServerEndpoint?
    /// Our channels in display order (by name), each once.
    public var channels: [ChannelState]
    /// The channel being viewed.
    public var selectedChannelId: String?
    /// Every user seen so far, by id, for names.
    public var users: [String: User]
    /// Presence by user id; a user absent here is not known to be online.
    public var presence: [String: PresenceStatus]
    /// Recent notices, oldest first, at most ``ChatState/maxNotices``.
    public var notices: [Notice]
    /// Whether the server's messages carry the `client_id` of their post, as a message of
    /// ours carrying one has shown: then our echo is matched by it alone, never by text.
    public var serverSendsClientIds: Bool
    /// The newest message seen in each channel, by channel id: what unread counts and the
    /// read marker start from, kept across restarts.
    public var lastRead: [String: String]

    /// How many notices are kept.
    public static let maxNotices = 20

    /// An empty state: nothing loaded, not connected.
    public init() {
        me = nil
        connection = .disconnected
        serverInUse = nil
        channels = []
        selectedChannelId = nil
        users = [:]
        presence = [:]
        notices = []
        serverSendsClientIds = false
        lastRead = [:]
    }

    /// The state of the channel with `id`.
    public subscript(channelId id: String) -> ChannelState? {
        channels.first { $0.id == id }
    }

    /// The channel named `name` (case-insensitive, with or without a leading `#`).
    public func channel(named name: String) -> ChannelState? {
        let wanted = Channel.lookupName(name)
        return channels.first { $0.channel.name.lowercased() == wanted }
    }

    /// The channel being viewed.
    public var selectedChannel: ChannelState? {
        selectedChannelId.flatMap { self[channelId: $0] }
    }

    /// A user's name for display: known name, else the id.
    public func displayName(of userId: String) -> String {
        users[userId]?.username ?? userId
    }

    /// Whether a user is known to be online.
    public func isOnline(_ userId: String) -> Bool {
        presence[userId] == .online
    }

    /// The index of the channel with `id`.
    func channelIndex(of id: String) -> Int? {
        channels.firstIndex { $0.id == id }
    }
}
