import Foundation
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Synchronization

/// What a test does at a storage call: hold it, fail it, or note it.
final class StorageInterceptor: Sendable {
    /// Runs before each call, with the call's name (`#function`) and its ids, and once more
    /// when the real storage has answered, with the name followed by `" returned"`.
    typealias Hook = @Sendable (_ call: String, _ ids: [String]) async throws -> Void

    private let hook = Mutex<Hook?>(nil)
    private let storage = Mutex<(any ChatStorage)?>(nil)

    /// Installs `hook` (`nil`: none) for the calls from now on.
    func intercept(_ hook: Hook?) { self.hook.withLock { $0 = hook } }

    /// The server's real storage, to set up rows that no endpoint writes.
    var base: (any ChatStorage)? { storage.withLock { $0 } }

    /// The configuration's `wrapStorage`.
    var wrap: @Sendable (any ChatStorage) -> any ChatStorage {
        { base in
            self.storage.withLock { $0 = base }
            return InterceptingStorage(base: base, interceptor: self)
        }
    }

    /// Holds the first call named `call` with these `ids` once the real storage has
    /// answered it, until ``HeldCall/release()``.
    func holdOnce(_ call: String, ids: [String]) -> HeldCall {
        let held = HeldCall()
        let armed = SharedValue(true)
        intercept { name, callIds in
            guard name == call, callIds == ids else { return }
            guard armed.update({ isArmed in defer { isArmed = false }; return isArmed }) else { return }
            await held.hold()
        }
        return held
    }

    fileprivate func run(_ call: String, _ ids: [String]) async throws {
        if let hook = hook.withLock({ $0 }) { try await hook(call, ids) }
    }
}

/// A storage call held by ``StorageInterceptor/holdOnce(_:ids:)``.
final class HeldCall: Sendable {
    private let held = AsyncStream.makeStream(of: Void.self)
    private let released = AsyncStream.makeStream(of: Void.self)

    /// Returns once the call is held.
    func waitUntilHeld() async {
        for await _ in held.stream { break }
    }

    /// Lets the call go on.
    func release() { released.continuation.yield() }

    fileprivate func hold() async {
        held.continuation.yield()
        for await _ in released.stream { break }
    }
}

/// An injected failure.
struct InjectedFailure: Error {}

/// A storage that asks its ``StorageInterceptor`` before every call to the real one.
private struct InterceptingStorage: ChatStorage {
    let base: any ChatStorage
    let interceptor: StorageInterceptor

    private func call<T>(_ ids: String..., name: String = #function, _ body: () async throws -> T) async throws -> T {
        try await interceptor.run(name, ids)
        let result = try await body()
        try await interceptor.run(name + " returned", ids)
        return result
    }

    func createUser(username: String, email: String, passwordHash: String) async throws -> User {
        try await call(username) { try await base.createUser(username: username, email: email, passwordHash: passwordHash) }
    }
    func user(id: String) async throws -> User? {
        try await call(id) { try await base.user(id: id) }
    }
    func credentials(for usernameOrEmail: String) async throws -> (user: User, passwordHash: String)? {
        try await call(usernameOrEmail) { try await base.credentials(for: usernameOrEmail) }
    }
    func setPasswordHash(_ passwordHash: String, userId: String) async throws {
        try await call(userId) { try await base.setPasswordHash(passwordHash, userId: userId) }
    }
    func searchUsers(prefix: String, limit: Int) async throws -> [User] {
        try await call(prefix) { try await base.searchUsers(prefix: prefix, limit: limit) }
    }
    func createChannel(name: String, description: String, isPrivate: Bool, ownerId: String) async throws -> PythiaProtocol.Channel {
        try await call(name, ownerId) { try await base.createChannel(name: name, description: description, isPrivate: isPrivate, ownerId: ownerId) }
    }
    func channel(id: String, viewerId: String) async throws -> PythiaProtocol.Channel? {
        try await call(id, viewerId) { try await base.channel(id: id, viewerId: viewerId) }
    }
    func channel(named name: String, viewerId: String) async throws -> PythiaProtocol.Channel? {
        try await call(name, viewerId) { try await base.channel(named: name, viewerId: viewerId) }
    }
    func hasChannels() async throws -> Bool {
        try await call { try await base.hasChannels() }
    }
    func channels(viewerId: String, scope: ChannelScope) async throws -> [PythiaProtocol.Channel] {
        try await call(viewerId) { try await base.channels(viewerId: viewerId, scope: scope) }
    }
    func role(of userId: String, in channelId: String) async throws -> MemberRole? {
        try await call(userId, channelId) { try await base.role(of: userId, in: channelId) }
    }
    func addMember(userId: String, to channelId: String, role: MemberRole) async throws -> Bool {
        try await call(userId, channelId) { try await base.addMember(userId: userId, to: channelId, role: role) }
    }
    func removeMember(userId: String, from channelId: String) async throws -> Bool {
        try await call(userId, channelId) { try await base.removeMember(userId: userId, from: channelId) }
    }
    func members(of channelId: String) async throws -> [(user: User, role: MemberRole, joinedAt: Date)] {
        try await call(channelId) { try await base.members(of: channelId) }
    }
    func channelIds(memberOf userId: String) async throws -> [String] {
        try await call(userId) { try await base.channelIds(memberOf: userId) }
    }
    func memberIds(of channelId: String) async throws -> [String] {
        try await call(channelId) { try await base.memberIds(of: channelId) }
    }
    func postMessage(
        channelId: String, userId: String, content: String, clientId: String?, mentioning: Set<String>,
        announce: @escaping @Sendable (_ message: Message, _ mentioned: [String]) -> [Announcement], through broker: any Broker
    ) async throws -> (message: Message, created: Bool) {
        try await call(channelId, userId) {
            try await base.postMessage(
                channelId: channelId, userId: userId, content: content, clientId: clientId, mentioning: mentioning, announce: announce,
                through: broker)
        }
    }
    func message(id: String) async throws -> Message? {
        try await call(id) { try await base.message(id: id) }
    }
    func history(channelId: String, before cursor: String?, after: String?, limit: Int) async throws -> [Message] {
        try await call(channelId) { try await base.history(channelId: channelId, before: cursor, after: after, limit: limit) }
    }
    func history(channelId: String, around id: String, limit: Int) async throws -> [Message] {
        try await call(channelId, id) { try await base.history(channelId: channelId, around: id, limit: limit) }
    }
    func searchMessages(words: [String], viewerId: String, channelId: String?, limit: Int) async throws -> [Message] {
        try await call(viewerId) { try await base.searchMessages(words: words, viewerId: viewerId, channelId: channelId, limit: limit) }
    }
    func editMessage(
        id: String, content: String, announce: @escaping @Sendable (_ edited: Message) -> [Announcement], through broker: any Broker
    ) async throws -> Message {
        try await call(id) { try await base.editMessage(id: id, content: content, announce: announce, through: broker) }
    }
    func deleteMessage(id: String, announcements: [Announcement], through broker: any Broker) async throws {
        try await call(id) { try await base.deleteMessage(id: id, announcements: announcements, through: broker) }
    }
    func react(
        messageId: String, userId: String, emoji: String, add: Bool, announcements: [Announcement], through broker: any Broker
    ) async throws -> (changed: Bool, count: Int) {
        try await call(messageId, userId) {
            try await base.react(
                messageId: messageId, userId: userId, emoji: emoji, add: add, announcements: announcements, through: broker)
        }
    }
    func tokenStanding(userId: String, tokenId: String) async throws -> TokenStanding? {
        try await call(userId) { try await base.tokenStanding(userId: userId, tokenId: tokenId) }
    }

    func socketStanding(userId: String, tokenId: String) async throws -> SocketStanding {
        try await call(userId) { try await base.socketStanding(userId: userId, tokenId: tokenId) }
    }
    func revokeToken(id tokenId: String, expiresAt: Date) async throws {
        try await call(tokenId) { try await base.revokeToken(id: tokenId, expiresAt: expiresAt) }
    }
    func advanceTokenGeneration(userId: String) async throws {
        try await call(userId) { try await base.advanceTokenGeneration(userId: userId) }
    }
    func healthProblem() async -> String? { await base.healthProblem() }
    func close() async { await base.close() }
}
