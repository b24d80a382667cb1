/// What a WebSocket registers with: see ``ChatStorage/socketStanding(userId:tokenId:)``.
struct SocketStanding: Sendable, Hashable {
    /// The channels the user is a member of.
    let channelIds: [String]
    /// The standing of the socket's token; `nil` when there is no such user.
    let token: TokenStanding?
}
