public import PythiaClient
import Foundation
import PythiaProtocol

/// The client engine's `Session` as the chat UI's backend.
public struct SessionBackend: ChatBackend {
    /// The session driven.
    public let session: Session
    /// The server as the status bar shows it (host:port).
    public let serverLabel: String

    /// Wraps a started session.
    public init(session: Session, serverLabel: String) {
        self.session = session
        self.serverLabel = serverLabel
    }

    public func snapshots() -> AsyncStream<ChatSnapshot> {
        let updates = session.updates
        let label = serverLabel
        return AsyncStream { continuation in
            let task = Task {
                for await state in updates {
                    continuation.yield(ChatSnapshot(state: state, server: label, now: Date()))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func select(channelID: String) async throws {
        try await session.select(channelId: channelID)
    }

    public func clearReadMarker(channelID: String) async {
        await session.clearReadMarker(channelId: channelID)
    }

    public func send(_ text: String, channelID: String) async throws {
        _ = try await session.send(text, to: channelID)
    }

    public func composing(_ isComposing: Bool, channelID: String) async {
        try? await session.composing(in: channelID, isComposing: isComposing)
    }

    public func loadOlder(channelID: String) async throws {
        try await session.loadOlder(channelId: channelID)
    }

    public func join(channelNamed name: String) async throws {
        let channel = try await session.joinChannel(named: name)
        try await session.select(channelId: channel.id)
    }

    public func leave(channelID: String) async throws {
        try await session.leave(channelId: channelID)
    }

    public func create(name: String, isPrivate: Bool, description: String) async throws {
        let channel = try await session.createChannel(name: name, description: description, isPrivate: isPrivate)
        try await session.select(channelId: channel.id)
    }

    public func openDirect(with username: String, text: String?) async throws {
        try await session.openDirectConversation(with: username, text: text)
    }

    public func invite(username: String, channelID: String) async throws {
        try await session.invite(username: username, to: channelID)
    }

    public func react(emoji: String, messageID: String) async throws {
        try await session.react(emoji: emoji, to: messageID)
    }

    public func edit(messageID: String, text: String) async throws {
        try await session.edit(messageId: messageID, content: text)
    }

    public func delete(messageID: String) async throws {
        try await session.delete(messageId: messageID)
    }

    public func retry(messageIDs: [String]) async {
        for id in messageIDs { await session.retry(clientId: id) }
    }

    public func discard(messageIDs: [String]) async {
        for id in messageIDs { await session.discard(clientId: id) }
    }

    public func onlineUsers(channelID: String) async throws -> [String] {
        let ids = try await session.onlineUsers(in: channelID)
        let state = await session.state
        return ids.map(state.displayName(of:))
    }

    public func publicChannels() async throws -> [(name: String, description: String, members: Int, joined: Bool)] {
        try await session.publicChannels().map { ($0.name, $0.description, $0.memberCount, $0.isMember) }
    }

    public func search(_ words: String) async throws -> (hits: [SearchOverlay.Hit], searchedLocally: Bool) {
        let results = try await session.search(words)
        let state = await session.state
        let hits = results.hits.map { hit in
            let channel = state[channelId: hit.message.channelId]
            let partner = channel.flatMap { channel in state.me.flatMap { DirectConversation.partner(in: channel, me: $0) } }
            return SearchOverlay.Hit(
                messageID: hit.message.id, channelID: hit.message.channelId,
                channel: channel.map {
                    ChannelSummary.label(name: $0.channel.name, isPrivate: $0.channel.isPrivate, directWith: partner?.username)
                } ?? "#" + hit.message.channelId,
                author: hit.message.user.username, createdAt: hit.message.createdAt, content: hit.message.content,
                highlights: hit.highlights)
        }
        return (hits, results.searchedLocally)
    }

    public func show(messageID: String, channelID: String) async throws {
        try await session.show(messageId: messageID, in: channelID)
    }

    public func reconnect() async {
        await session.reconnect()
    }
}
