/// Where a client connects, as ``ConnectionResolver`` decided.
public enum ResolvedConnection: Hashable, Sendable {
    /// Servers reached with a token (one, or several of one deployment); `savedLogin` is the
    /// login it came from, if it did, so that a refreshed token can be saved back.
    case remote(servers: ServerList, token: String, savedLogin: SavedLogin?)
    /// Nothing given and nothing saved: the chat UI's local mode; an error for a headless command.
    case local
}
