/// Everything the screen shows of the chat at one moment, in display terms: what the
/// views render. The app builds it from the client engine's state.
public struct ChatSnapshot: Sendable {
    /// My user name.
    public var me: String
    /// The server, as shown in the status bar (host:port).
    public var server: String
    /// The connection state.
    public var connection: ConnectionStatus
    /// With several servers: the one in use (`host:port`), which the status bar names.
    public var serverInUse: String?
    /// The channels I am in, in list order.
    public var channels: [ChannelSummary]
    /// The channel shown.
    public var selectedChannelID: String?
    /// The selected channel's messages.
    public var messages: MessageList
    /// Whether older history exists beyond the first message held.
    public var hasOlderMessages: Bool
    /// Who is typing in the selected channel (not me).
    public var typing: [String]
    /// The selected channel's members in the member pane's order, once loaded.
    public var members: [MemberSummary]?
    /// User names known (for `@` completion).
    public var usernames: [String]
    /// The engine's latest notice (shown once in the typing line), with an id to tell new from old.
    public var engineNotice: (id: Int, notice: TypingLine.Notice)?

    /// Creates a snapshot.
    public init(
        me: String, server: String, connection: ConnectionStatus, channels: [ChannelSummary] = [],
        selectedChannelID: String? = nil, messages: MessageList = .empty, hasOlderMessages: Bool = false,
        typing: [String] = [], members: [MemberSummary]? = nil, usernames: [String] = []
    ) {
        self.me = me
        self.server = server
        self.connection = connection
        self.channels = channels
        self.selectedChannelID = selectedChannelID
        self.messages = messages
        self.hasOlderMessages = hasOlderMessages
        self.typing = typing
        self.members = members.map(MemberSummary.ordered)
        self.usernames = usernames
    }

    /// The selected channel's entry.
    public var selectedChannel: ChannelSummary? {
        channels.first { $0.id == selectedChannelID }
    }
}
