/// The hub's watch of a user begun by a WebSocket handshake, before the handshake reads the
/// user's channels and the token's standing (``Hub/watchHandshake(userId:tokenId:)``).
struct HandshakeWatch: Sendable, Hashable {
    /// The watch's number, unique in its hub.
    let number: UInt64
}
