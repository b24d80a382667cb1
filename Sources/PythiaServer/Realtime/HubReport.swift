/// A change among one hub's connections that the rest of the cluster hears of.
enum HubReport: Sendable, Equatable {
    /// The user's first connection on this process opened; `channelIds` are the channels
    /// whose rooms hear their `user_status`.
    case arrived(userId: String, channelIds: Set<String>)
    /// The user's last connection on this process closed.
    case departed(userId: String, channelIds: Set<String>)
    /// A user started or stopped typing in a channel (through a connection of this process).
    case typing(userId: String, channelId: String, isTyping: Bool)
}
