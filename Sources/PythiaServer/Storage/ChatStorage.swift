import Foundation
import PythiaProtocol

/// What the server keeps: users, channels and their members, messages and reactions.
///
/// The SQLite implementation is ``SQLiteStorage``; anything implementing this protocol
/// (PostgreSQL for several server processes) can replace it without touching the handlers.
protocol ChatStorage: Sendable {
    /// Creates a user; throws ``StorageError/conflict(_:)`` when the name or e-mail is taken.
    func createUser(username: String, email: String, passwordHash: String) async throws -> User
    /// A user by id.
    func user(id: String) async throws -> User?
    /// A user by name or e-mail (case-insensitive), with the password hash.
    func credentials(for usernameOrEmail: String) async throws -> (user: User, passwordHash: String)?
    /// Replaces a user's password hash.
    func setPasswordHash(_ passwordHash: String, userId: String) async throws
    /// Users whose name starts with `prefix` (case-insensitive), by name.
    func searchUsers(prefix: String, limit: Int) async throws -> [User]

    /// Creates a channel owned by `ownerId`, who becomes its first member.
    func createChannel(name: String, description: String, isPrivate: Bool, ownerId: String) async throws -> Channel
    /// A channel by id, as `viewerId` sees it.
    func channel(id: String, viewerId: String) async throws -> Channel?
    /// A channel by name (case-insensitive), as `viewerId` sees it.
    func channel(named name: String, viewerId: String) async throws -> Channel?
    /// Whether any channel exists.
    func hasChannels() async throws -> Bool
    /// The channels `userId` is a member of, or every public one, by name.
    func channels(viewerId: String, scope: ChannelScope) async throws -> [Channel]
    /// `userId`'s role in a channel, `nil` when not a member.
    func role(of userId: String, in channelId: String) async throws -> MemberRole?
    /// Adds a member; `false` when they already were one.
    func addMember(userId: String, to channelId: String, role: MemberRole) async throws -> Bool
    /// Removes a member; `false` when they were not one.
    func removeMember(userId: String, from channelId: String) async throws -> Bool
    /// A channel's members, owner first, with when they joined.
    func members(of channelId: String) async throws -> [(user: User, role: MemberRole, joinedAt: Date)]
    /// The ids of the channels `userId` is a member of.
    func channelIds(memberOf userId: String) async throws -> [String]
    /// The ids of a channel's members.
    func memberIds(of channelId: String) async throws -> [String]

    /// Stores a message durably, announced by `announce(message, mentioned)` (see
    /// ``Announcement``); `mentioned` holds, read in the same transaction, the ids of the
    /// channel's members other than the sender named in `mentioning` (lowercased usernames).
    /// With a `clientId` already used by the same user, returns the first message and
    /// `created: false`, announcing nothing again. The announcements reach `broker` after the
    /// commit and before the return, in the order the changes were stored. Throws
    /// ``StorageError/notMember`` when `userId` is not a member of the channel, which is
    /// checked with the message's insert, not by a read of its own before it.
    func postMessage(
        channelId: String, userId: String, content: String, clientId: String?, mentioning: Set<String>,
        announce: @escaping @Sendable (_ message: Message, _ mentioned: [String]) -> [Announcement], through broker: any Broker
    ) async throws -> (message: Message, created: Bool)
    /// A message that is not deleted.
    func message(id: String) async throws -> Message?
    /// A page of history, oldest first (see `API.md`, History).
    func history(channelId: String, before: String?, after: String?, limit: Int) async throws -> [Message]
    /// Up to `limit` messages of a channel centred on `id`, `id` included, oldest first;
    /// throws ``StorageError/notFound(_:)`` when `id` is not a message of the channel.
    func history(channelId: String, around id: String, limit: Int) async throws -> [Message]
    /// The newest `limit` messages, in channels `viewerId` is a member of (only `channelId`
    /// when given), containing each of `words` as the start of a word, ignoring case and
    /// accents (see `API.md`, Search). The words are data, never query syntax.
    func searchMessages(words: [String], viewerId: String, channelId: String?, limit: Int) async throws -> [Message]
    /// Replaces a message's content, announced by `announce(edited)` through `broker` as a post is.
    func editMessage(
        id: String, content: String, announce: @escaping @Sendable (_ edited: Message) -> [Announcement], through broker: any Broker
    ) async throws -> Message
    /// Marks a message deleted, announced by `announcements` through `broker` as a post is.
    func deleteMessage(id: String, announcements: [Announcement], through broker: any Broker) async throws
    /// Adds or removes one user's reaction; says whether anything changed and the new count.
    /// `announcements` announce a change through `broker` as a post is, and go nowhere when
    /// nothing changed.
    func react(
        messageId: String, userId: String, emoji: String, add: Bool, announcements: [Announcement], through broker: any Broker
    ) async throws -> (changed: Bool, count: Int)

    /// Whether a token of `userId` with this id may still be used; `nil` when there is no such user.
    func tokenStanding(userId: String, tokenId: String) async throws -> TokenStanding?
    /// The channels `userId` is a member of and the standing of their token `tokenId`, in one
    /// read: what a WebSocket registers with, read once the hub watches it.
    func socketStanding(userId: String, tokenId: String) async throws -> SocketStanding
    /// Revokes one token until `expiresAt`, when it would end anyway; revocations past their
    /// expiry are pruned on the way.
    func revokeToken(id tokenId: String, expiresAt: Date) async throws
    /// Ends every token of `userId` issued so far, by moving their token generation on.
    func advanceTokenGeneration(userId: String) async throws

    /// `nil` when the database answers, else what is wrong.
    func healthProblem() async -> String?
    /// Checkpoints and closes the database.
    func close() async
}
