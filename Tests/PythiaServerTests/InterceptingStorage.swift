import Foundation
@testable import PythiaServer
import PythiaProtocol
import Synchronization

/// What a test does at a storage call: hold it, fail it, or note it.
final class StorageInterceptor: Sendable {
    /// Runs before each call, with the call's name and its ids; after `postMessage` has
    /// committed, once more with the name `"postMessage committed"`.
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

    fileprivate func before(_ call: String, _ ids: [String]) async throws {
        if let hook = hook.withLock({ $0 }) { try await hook(call, ids) }
    }
}

/// An injected failure.
struct InjectedFailure: Error {}

/// A storage that asks its ``StorageInterceptor`` before every call to the real one.
private struct InterceptingStorage: ChatStorage {
    let base: any ChatStorage
    let interceptor: StorageInterceptor

    private func before(_ ids: String..., call: String = #function) async throws {
        try await interceptor.before(call, ids)
    }

    func createUser(username: String, email: String, passwordHash: String) async throws -> User {
        try await before(username)
        return try await base.createUser(username: username, email: email, passwordHash: passwordHash)
    }
    func user(id: String) async throws -> User? {
        try await before(id)
        return try await base.user(id: id)
    }
    func credentials(for usernameOrEmail: String) async throws -> (user: User, passwordHash: String)? {
        try await before(usernameOrEmail)
        return try await base.credentials(for: usernameOrEmail)
    }
    func setPasswordHash(_ passwordHash: String, userId: String) async throws {
        try await before(userId)
        try await base.setPasswordHash(passwordHash, userId: userId)
    }
    func searchUsers(prefix: String, limit: Int) async throws -> [User] {
        try await before(prefix)
        return try await base.searchUsers(prefix: prefix, limit: limit)
    }
    func createChannel(name: String, description: String, isPrivate: Bool, ownerId: String) async throws -> PythiaProtocol.Channel {
        try await before(name, ownerId)
        return try await base.createChannel(name: name, description: description, isPrivate: isPrivate, ownerId: ownerId)
    }
    func channel(id: String, viewerId: String) async throws -> PythiaProtocol.Channel? {
        try await before(id, viewerId)
        return try await base.channel(id: id, viewerId: viewerId)
    }
    func channel(named name: String, viewerId: String) async throws -> PythiaProtocol.Channel? {
        try await before(name, viewerId)
        return try await base.channel(named: name, viewerId: viewerId)
    }
    func channels(viewerId: String, scope: ChannelScope) async throws -> [PythiaProtocol.Channel] {
        try await before(viewerId)
        return try await base.channels(viewerId: viewerId, scope: scope)
    }
    func role(of userId: String, in channelId: String) async throws -> MemberRole? {
        try await before(userId, channelId)
        return try await base.role(of: userId, in: channelId)
    }
    func addMember(userId: String, to channelId: String, role: MemberRole) async throws -> Bool {
        try await before(userId, channelId)
        return try await base.addMember(userId: userId, to: channelId, role: role)
    }
    func removeMember(userId: String, from channelId: String) async throws -> Bool {
        try await before(userId, channelId)
        return try await base.removeMember(userId: userId, from: channelId)
    }
    func members(of channelId: String) async throws -> [(user: User, role: MemberRole, joinedAt: Date)] {
        try await before(channelId)
        return try await base.members(of: channelId)
    }
    func channelIds(memberOf userId: String) async throws -> [String] {
        try await before(userId)
        return try await base.channelIds(memberOf: userId)
    }
    func memberIds(of channelId: String) async throws -> [String] {
        try await before(channelId)
        return try await base.memberIds(of: channelId)
    }
    func postMessage(
        channelId: String, userId: String, content: String, clientId: String?, mentioning: Set<String>
    ) async throws -> (message: Message, created: Bool, mentioned: [String]) {
        try await before(channelId, userId)
        let result = try await base.postMessage(
            channelId: channelId, userId: userId, content: content, clientId: clientId, mentioning: mentioning)
        try await before(channelId, userId, call: "postMessage committed")
        return result
    }
    func message(id: String) async throws -> Message? {
        try await before(id)
        return try await base.message(id: id)
    }
    func history(channelId: String, before cursor: String?, after: String?, limit: Int) async throws -> [Message] {
        try await before(channelId)
        return try await base.history(channelId: channelId, before: cursor, after: after, limit: limit)
    }
    func editMessage(id: String, content: String) async throws -> Message {
        try await before(id)
        return try await base.editMessage(id: id, content: content)
    }
    func deleteMessage(id: String) async throws {
        try await before(id)
        try await base.deleteMessage(id: id)
    }
    func react(messageId: String, userId: String, emoji: String, add: Bool) async throws -> (changed: Bool, count: Int) {
        try await before(messageId, userId)
        return try await base.react(messageId: messageId, userId: userId, emoji: emoji, add: add)
    }
    func healthProblem() async -> String? { await base.healthProblem() }
    func close() async { await base.close() }
}
