import NIOCore

/// The seam between the handlers that publish events and the hubs that deliver them: every
/// effect that reaches connections, on this process or another, goes through it.
///
/// One server process uses ``InProcessBroker``; several processes on one PostgreSQL database
/// use ``PostgresBroker``, which carries each effect to every process's hub in one order.
protocol Broker: Sendable {
    /// Delivers an already encoded text frame to an audience.
    func publish(_ frame: ByteBuffer, to audience: Audience) async
    /// A user became (or stopped being) a member of a channel: their connections enter (or
    /// leave) the room, and the room hears `user_joined` (or `user_left`).
    func changeMembership(userId: String, channelId: String, joined: Bool) async
    /// Closes with 1008 and `reason` the connections of `userId` opened with `tokenId`, or
    /// every connection of theirs when it is `nil`.
    func closeConnections(of userId: String, tokenId: String?, reason: String) async
    /// Which of `userIds` have at least one live connection.
    func online(among userIds: [String]) async throws -> [String]
    /// Whether `userId` has a live connection.
    func isOnline(_ userId: String) async throws -> Bool
    /// What changed among the hub's own connections, told by the hub in its isolation, in
    /// the order it happened.
    func hubReported(_ report: HubReport, by hub: isolated Hub)
    /// The server stops: its connections are gone, its presence goes with them.
    func shutdown() async
}
