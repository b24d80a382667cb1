import PythiaProtocol

/// Where the user has read up to: ``ChatState/lastRead``, what unread counts and the read
/// marker start from. ``Session`` marks a channel read when it is left, loaded for the first
/// time, or shown when the program stops.
extension ChatStore {
    /// Moves a channel's last-read message to its newest one.
    mutating func markRead(_ channelId: String) -> [ChatEffect] {
        guard let newest = state[channelId: channelId]?.messages.last?.id, state.lastRead[channelId] != newest else { return [] }
        state.lastRead[channelId] = newest
        return [.saveReadPositions]
    }
}
