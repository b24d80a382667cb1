public import Foundation
import GRDB
import Logging
import PostgresNIO
import PythiaProtocol

/// What `pythia-chat admin` does to a server's database: accounts, channels, backup,
/// export and purge. It opens the database with a pool of its own (SQLite: in WAL mode with
/// a busy timeout), so it is safe while servers run on it; what a running server must act
/// on (a disabled account's sockets) it reads from the database (``AccountWatcher``).
///
/// Every method says what it did in one line, or throws an ``AdminError`` that says what is
/// wrong; none creates a database that did not exist.
public final class ServerAdministration: Sendable {
    let storage: any ChatStorage & AdministrationStorage
    /// The SQLite storage, for what works on the file only (backup); `nil` on PostgreSQL.
    let sqlite: SQLiteStorage?
    /// The database file, or the PostgreSQL location (never its password).
    public let databasePath: String
    private let passwords: PasswordHasher

    /// Opens (and migrates, as a server would) the existing database at `databasePath`.
    /// `bcryptCost` is the cost of the passwords it sets; a write waits up to `busyTimeout`
    /// seconds for another process's (a server's) to end, then fails as locked.
    public convenience init(databasePath: String, bcryptCost: UInt8 = 12, busyTimeout: TimeInterval = 10) throws(AdminError) {
        let storage: SQLiteStorage
        do {
            storage = try SQLiteStorage(path: databasePath, creating: false, busyTimeout: busyTimeout)
        } catch {
            throw .databaseUnavailable(error.description)
        }
        self.init(storage: storage, sqlite: storage, databasePath: databasePath, bcryptCost: bcryptCost)
    }

    private init(storage: any ChatStorage & AdministrationStorage, sqlite: SQLiteStorage?, databasePath: String, bcryptCost: UInt8) {
        self.storage = storage
        self.sqlite = sqlite
        self.databasePath = databasePath
        passwords = PasswordHasher(cost: bcryptCost, limit: 1)
    }

    /// Opens (and migrates, as a server would) the database at `location`: a SQLite file as
    /// ``init(databasePath:bcryptCost:busyTimeout:)`` does, or a PostgreSQL database with a
    /// pool of 2 connections, each call waiting at most `timeout` seconds.
    public static func open(_ location: DatabaseLocation, bcryptCost: UInt8 = 12, timeout: TimeInterval = 10) async throws(AdminError) -> ServerAdministration {
        switch location {
        case .sqlite(let path):
            return try ServerAdministration(databasePath: path, bcryptCost: bcryptCost, busyTimeout: timeout)
        case .postgres(let postgres):
            let storage: PostgresStorage
            do {
                storage = try await PostgresStorage.open(
                    postgres, poolSize: 2, timeout: .milliseconds(Int64((max(0.1, timeout) * 1000).rounded())),
                    logger: Logger(label: "pythia-chat.admin", factory: { _ in SwiftLogNoOpLogHandler() }))
            } catch {
                throw .databaseUnavailable(error.description)
            }
            return ServerAdministration(storage: storage, sqlite: nil, databasePath: postgres.description, bcryptCost: bcryptCost)
        }
    }

    /// Closes the database, leaving the checkpoint to the server if one runs.
    public func close() async {
        if let sqlite { try? sqlite.pool.close() } else { await storage.close() }
    }

    /// Runs storage work, its failures said as ``AdminError``.
    func attempt<T>(_ work: () async throws -> T) async throws(AdminError) -> T {
        do {
            return try await work()
        } catch let error as AdminError {
            throw error
        } catch let error as DatabaseError {
            throw .databaseUnavailable("the database at \(databasePath) failed: \(SQLiteStorage.explain(error))")
        } catch let error as PSQLError {
            // Its description says nothing, lest it leak data: the server's message does.
            throw .databaseUnavailable("the database at \(databasePath) failed: \(error.serverInfo?[.message] ?? "\(error.code)")")
        } catch {
            throw .databaseUnavailable("the database at \(databasePath) failed: \(error)")
        }
    }

    // MARK: Users

    /// Every account, by name.
    public func users() async throws(AdminError) -> [UserAccount] {
        try await attempt { try await storage.accounts() }
    }

    /// Creates an account, a member of each channel of `joining` (a missing one is created,
    /// public and owned by it: the first account of a server made this way has no default
    /// channel, which only a registration through the server creates).
    public func createUser(username: String, email: String, password: String, joining: [String] = []) async throws(AdminError) -> String {
        if let problem = Validation.username(username) ?? Validation.email(email) ?? Validation.password(password)
            ?? joining.lazy.compactMap({ Validation.channelName(Self.bareChannelName($0)) }).first {
            throw .invalid(problem)
        }
        let user = try await attempt { () async throws -> User in
            do {
                return try await storage.createUser(username: username, email: email, passwordHash: await passwords.hash(password))
            } catch StorageError.conflict(let field) {
                throw AdminError.conflict("\(field) is already taken; choose another")
            }
        }
        var joined: [String] = []
        for name in joining.map(Self.bareChannelName) {
            try await attempt {
                if let channel = try await storage.channel(named: name, viewerId: user.id) {
                    _ = try await storage.addMember(userId: user.id, to: channel.id, role: .member)
                    joined.append("#" + channel.name)
                } else {
                    _ = try await storage.createChannel(name: name, description: "", isPrivate: false, ownerId: user.id)
                    joined.append("#\(name) (created, public)")
                }
            }
        }
        return "created user \(user.username) <\(user.email)> (id \(user.id))"
            + (joined.isEmpty ? "" : "; a member of \(joined.joined(separator: ", "))")
    }

    /// Sets a new password and ends every session of the account.
    public func resetPassword(username: String, password: String) async throws(AdminError) -> String {
        if let problem = Validation.password(password) { throw .invalid(problem) }
        let account = try await account(named: username)
        try await attempt { try await storage.resetPassword(userId: account.user.id, passwordHash: await passwords.hash(password)) }
        return "reset the password of \(account.user.username); every session of theirs was ended"
    }

    /// Disables or enables an account (API.md "Disabled users").
    public func setDisabled(_ disabled: Bool, username: String) async throws(AdminError) -> String {
        let account = try await account(named: username)
        let name = account.user.username
        guard try await attempt({ try await storage.setDisabled(disabled, userId: account.user.id) }) else {
            return "\(name) was already \(disabled ? "disabled" : "enabled"); nothing changed"
        }
        return disabled
            ? "disabled \(name): their tokens are refused, their connections are closed, and they cannot log in"
            : "enabled \(name): they can log in again"
    }

    /// Deletes an account; its messages stay, shown as by "deleted user", or go with `purge`.
    public func deleteUser(username: String, purge: Bool) async throws(AdminError) -> String {
        let account = try await account(named: username)
        let (owned, messages) = try await attempt { try await storage.deleteAccount(userId: account.user.id, purgeMessages: purge) }
        var report = "deleted user \(account.user.username); "
            + (purge ? "their \(messages) messages were removed" : "their \(messages) messages now show as by '\(DeletedUser.username)'")
        if !owned.isEmpty {
            report += "; channels left without an owner: \(owned.map { "#" + $0 }.joined(separator: ", "))"
                + " (pythia-chat admin channels set-owner NAME USER)"
        }
        return report
    }

    private func account(named username: String) async throws(AdminError) -> UserAccount {
        guard let account = try await attempt({ try await storage.account(named: username) }) else {
            throw .noSuchUser(username)
        }
        return account
    }

    // MARK: Channels

    /// Every channel, by name.
    public func channels() async throws(AdminError) -> [ChannelRecord] {
        try await attempt { try await storage.channelRecords() }
    }

    /// Deletes a channel with its messages.
    public func deleteChannel(named name: String) async throws(AdminError) -> String {
        let channel = try await channel(named: name)
        let messages = try await attempt { try await storage.deleteChannel(id: channel.id) }
        return "deleted #\(channel.name) and its \(messages) messages"
    }

    /// Makes `username` the owner of a channel (and a member, if they were not one).
    public func setOwner(channel name: String, username: String) async throws(AdminError) -> String {
        let channel = try await channel(named: name)
        let account = try await account(named: username)
        let previous = try await attempt { try await storage.channelRecords() }.first { $0.id == channel.id }?.owner
        try await attempt { try await storage.setOwner(userId: account.user.id, of: channel.id) }
        return "#\(channel.name) is now owned by \(account.user.username)" + (previous.map { " (was \($0))" } ?? " (it had no owner)")
    }

    /// The channel named `name` (with or without its `#`).
    func channel(named name: String) async throws(AdminError) -> PythiaProtocol.Channel {
        guard let channel = try await attempt({ try await storage.channel(named: Self.bareChannelName(name), viewerId: "") }) else {
            throw .noSuchChannel(name)
        }
        return channel
    }

    /// A channel's name as given on the command line, without its `#`.
    static func bareChannelName(_ name: String) -> String {
        name.hasPrefix("#") ? String(name.dropFirst()) : name
    }

    // MARK: Messages

    /// Deletes every message stored before `cutoff`, in short batches.
    public func purge(before cutoff: Date) async throws(AdminError) -> String {
        let deleted = try await attempt { try await MessageRetention.purge(storage, before: cutoff) }
        return "deleted \(deleted) messages stored before \(Timestamp.format(cutoff))"
    }

    /// A date given on the command line: `2026-11-01` (midnight UTC) or an RFC 3339 timestamp.
    public static func date(_ text: String) throws(AdminError) -> Date {
        if let date = Timestamp.parse(text) { return date }
        if text.utf8.count == 10, let date = Timestamp.parse(text + "T00:00:00Z") { return date }
        throw .invalid("'\(text)' is not a date; give 2026-11-01 (midnight UTC) or 2026-11-01T12:00:00Z")
    }
}
