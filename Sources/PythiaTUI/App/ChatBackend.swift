/// What the chat UI asks of the client engine. The UI never touches the network: it shows
/// the snapshots this produces and turns keys and commands into these intents.
public protocol ChatBackend: Sendable {
    /// Every new state of the chat, as the screen shows it; finishes when the session ends.
    func snapshots() -> AsyncStream<ChatSnapshot>
    /// Shows a channel (marks it read).
    func select(channelID: String) async throws
    /// Takes away a channel's read marker (the user has read to the bottom).
    func clearReadMarker(channelID: String) async
    /// Sends a message (kept in the outbox and retried while offline).
    func send(_ text: String, channelID: String) async throws
    /// Says whether I am typing in a channel; the engine throttles what reaches the server.
    func composing(_ isComposing: Bool, channelID: String) async
    /// Loads a page of older history.
    func loadOlder(channelID: String) async throws
    /// Joins a public channel by name and selects it.
    func join(channelNamed name: String) async throws
    /// Leaves a channel.
    func leave(channelID: String) async throws
    /// Creates a channel and selects it.
    func create(name: String, isPrivate: Bool, description: String) async throws
    /// Opens the direct conversation with a user (created if missing), selects it and sends
    /// `text`, if any.
    func openDirect(with username: String, text: String?) async throws
    /// Invites a user to a channel.
    func invite(username: String, channelID: String) async throws
    /// Adds a reaction to a message.
    func react(emoji: String, messageID: String) async throws
    /// Replaces a message's text.
    func edit(messageID: String, text: String) async throws
    /// Deletes a message.
    func delete(messageID: String) async throws
    /// Sends failed messages again, by the ids the snapshot gives them (their `client_id`).
    func retry(messageIDs: [String]) async
    /// Throws away failed messages, by the ids the snapshot gives them.
    func discard(messageIDs: [String]) async
    /// The user names online in a channel.
    func onlineUsers(channelID: String) async throws -> [String]
    /// Public channels, for browsing: name, description and member count.
    func publicChannels() async throws -> [(name: String, description: String, members: Int, joined: Bool)]
    /// Searches my channels for messages with every word of `words`; on a server without
    /// search, the history held here (`searchedLocally`).
    func search(_ words: String) async throws -> (hits: [SearchOverlay.Hit], searchedLocally: Bool)
    /// Shows a message's channel with the history around the message loaded.
    func show(messageID: String, channelID: String) async throws
    /// Reconnects now instead of waiting for the next attempt.
    func reconnect() async
}
