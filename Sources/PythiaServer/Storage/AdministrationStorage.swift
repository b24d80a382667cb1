import Foundation
import PythiaProtocol

/// What the operator's commands (`pythia-chat admin`) and the server's background jobs need
/// from storage beyond ``ChatStorage``: accounts and channels by name, the account changes
/// that end live sockets, message expiry and export.
///
/// Kept apart from ``ChatStorage`` so that a storage serving requests needs none of it.
protocol AdministrationStorage: Sendable {
    /// Every account, by name (the placeholder author of deleted users' messages left out).
    func accounts() async throws -> [UserAccount]
    /// One account by name (case-insensitive).
    func account(named username: String) async throws -> UserAccount?
    /// Disables or enables an account; a disabling ends every token of it and is recorded as
    /// an ``AccountChange``. `false` when it already was so.
    func setDisabled(_ disabled: Bool, userId: String) async throws -> Bool
    /// Replaces the password hash and ends every token of the user (a ``AccountChange/passwordReset``).
    func resetPassword(userId: String, passwordHash: String) async throws
    /// Deletes the account: its messages are kept under ``DeletedUser``, or removed with
    /// `purgeMessages`; its reactions and memberships go. Returns the names of the
    /// channels it owned (left without an owner) and how many messages it had.
    func deleteAccount(userId: String, purgeMessages: Bool) async throws -> (ownedChannels: [String], messages: Int)

    /// Every channel, by name.
    func channelRecords() async throws -> [ChannelRecord]
    /// Deletes a channel with its memberships, messages and reactions; the number of messages.
    func deleteChannel(id channelId: String) async throws -> Int
    /// Makes `userId` the one owner of a channel (a member if they were not one); the
    /// previous owners stay members.
    func setOwner(userId: String, of channelId: String) async throws

    /// The newest ``AccountChange`` sequence number, 0 when there is none.
    func latestAccountChange() async throws -> Int64
    /// The account changes after sequence number `seq`, oldest first.
    func accountChanges(after seq: Int64) async throws -> [(seq: Int64, userId: String, change: AccountChange)]

    /// Deletes at most `limit` messages (deleted or not) stored before `cutoff`, oldest
    /// first, with their reactions and search entries, in one short transaction; how many.
    func deleteMessages(before cutoff: Date, limit: Int) async throws -> Int
    /// Up to `limit` messages that are not deleted, after sequence number `seq` in storage
    /// order, of one channel or all, stored at or after `since`; with each one's sequence
    /// number, the cursor of the next page.
    func exportPage(channelId: String?, since: Date?, after seq: Int64, limit: Int) async throws -> [(seq: Int64, message: Message)]
}
