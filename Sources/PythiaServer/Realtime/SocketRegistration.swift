/// What a WebSocket's handshake read for the socket's registration: the user's channels,
/// and the hub's watch begun before that read, which corrects what the read missed
/// (``Hub/register(_:memberOf:watchedSince:)``).
struct SocketRegistration: Sendable {
    let channelIds: [String]
    let watch: HandshakeWatch
}
