import Foundation
import GRDB
import PythiaProtocol

/// ``ChatStorage`` in one SQLite file: a GRDB `DatabasePool` (WAL), `synchronous = FULL`
/// so that a committed message survives a crash of the process or of the machine.
///
/// The statements every post runs (token standing, channel, role, insert, read-back) are
/// `cachedStatement`s, prepared once per connection: preparing them each time was a third of
/// the server's instructions per post (Docs/bench/post-path-before.md).
final class SQLiteStorage: ChatStorage {
    let pool: DatabasePool
    /// The reads of every request and handshake, on the caller's thread.
    let directReader: DirectReader
    /// Concurrent changes share a commit (see ``commitTogether(announcingThrough:_:)``).
    let posts = CommitGroup<String, SQLiteChange>()
    /// Where "now" comes from for stored times; tests pass one that moves on every read.
    private let clock: @Sendable () -> Date

    /// Opens (creating if needed and `creating`, mode 0600) and migrates the database at
    /// `path`; refuses, without touching it, one that a newer build migrated. A statement
    /// waits up to `busyTimeout` seconds for another process's write to end.
    init(
        path: String, creating: Bool = true, busyTimeout: TimeInterval = 10, clock: @escaping @Sendable () -> Date = Date.init
    ) throws(ServerError) {
        self.clock = clock
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        do {
            // SQLite creates the -wal and -shm files with the database file's mode: a
            // database file made 0600 first keeps all three private.
            guard try PrivateFile.restrict(atPath: path, creating: creating) else {
                throw ServerError.databaseUnavailable(
                    path: path, reason: "there is no such file; check the path (the server creates it when it first starts)")
            }
            for companion in [path + "-wal", path + "-shm"] { try PrivateFile.restrict(atPath: companion, creating: false) }
        } catch let error as ServerError {
            throw error
        } catch let error as PrivateFileError {
            throw .databaseUnavailable(path: path, reason: "cannot create or open the file (\(error.reason)); check that its directory exists and is writable")
        } catch {
            throw .databaseUnavailable(path: path, reason: "\(error)")
        }
        // Migrations are forward-only: a database a newer build migrated is left untouched (its
        // mode aside, made private above).
        let newer: String?
        do {
            newer = try SQLiteSchema.unknownMigration(inDatabaseAt: path)
        } catch {
            throw Self.unavailable(path, error)
        }
        if let newer {
            throw .databaseUnavailable(
                path: path,
                reason: "this database was written by a newer pythia-chat (migration \(newer)); upgrade pythia-chat or restore a backup")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // After the pool's own WAL set-up, which lowers the writer to NORMAL (durable
            // through a crash of the process, not of the machine): FULL syncs every commit.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try SQLiteSchema.migrator.migrate(pool)
            // One per thread of the cooperative pool, where these reads run.
            directReader = try DirectReader(
                path: path, count: ProcessInfo.processInfo.activeProcessorCount, configuration: configuration)
        } catch {
            throw Self.unavailable(path, error)
        }
    }

    /// The start failure for `error`, met opening the database at `path`.
    private static func unavailable(_ path: String, _ error: any Error) -> ServerError {
        .databaseUnavailable(path: path, reason: (error as? DatabaseError).map(explain) ?? "\(error)")
    }

    static func explain(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: "the file is not a pythia-chat database (or is corrupt)"
        case .SQLITE_CANTOPEN: "cannot create or open the file; check that its directory exists and is writable"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: "the file or its directory is not writable"
        case .SQLITE_FULL: "the disk is full"
        case .SQLITE_BUSY, .SQLITE_LOCKED: "the database is locked by another process; try again"
        default: error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
    }

    /// Now, in whole milliseconds since 1970: what the database stores. Read once per row
    /// written, so that what a call returns is what it stored.
    func now() -> Int64 { Int64((clock().timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    static func newID() -> String { UUID().uuidString.lowercased() }

    // MARK: Users

    func createUser(username: String, email: String, passwordHash: String) async throws -> User {
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE username = ?", arguments: [username]) == true {
                throw StorageError.conflict("username")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE email = ?", arguments: [email]) == true {
                throw StorageError.conflict("email")
            }
            let now = self.now()
            let user = User(id: Self.newID(), username: username, email: email, createdAt: Self.date(now))
            try db.execute(
                sql: "INSERT INTO users (id, username, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [user.id, username, email, passwordHash, now])
            return user
        }
    }

    func user(id: String) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.user(from:))
        }
    }

    func credentials(for usernameOrEmail: String) async throws -> (user: User, passwordHash: String)? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM users WHERE username = ? OR email = ? LIMIT 1",
                arguments: [usernameOrEmail, usernameOrEmail])
            else { return nil }
            return (Self.user(from: row), row["password_hash"])
        }
    }

    func setPasswordHash(_ passwordHash: String, userId: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE id = ?", arguments: [passwordHash, userId])
        }
    }

    func searchUsers(prefix: String, limit: Int) async throws -> [User] {
        let escaped = prefix.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return try await pool.read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT * FROM users WHERE username LIKE ? ESCAPE '\\' AND id != ? ORDER BY username COLLATE NOCASE LIMIT ?
                    """,
                arguments: [escaped + "%", DeletedUser.id, limit]
            ).map(Self.user(from:))
        }
    }

    static func user(from row: Row) -> User {
        User(id: row["id"], username: row["username"], email: row["email"], createdAt: date(row["created_at"]))
    }

    // MARK: Channels

    func createChannel(name: String, description: String, isPrivate: Bool, ownerId: String) async throws -> Channel {
        try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM channels WHERE name = ?", arguments: [name]) == true {
                throw StorageError.conflict("channel name")
            }
            let id = Self.newID()
            let now = self.now()
            try db.execute(
                sql: "INSERT INTO channels (id, name, description, is_private, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, name, description, isPrivate, ownerId, now])
            try db.execute(
                sql: "INSERT INTO memberships (channel_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)",
                arguments: [id, ownerId, now])
            return Channel(
                id: id, name: name, description: description, isPrivate: isPrivate, createdBy: ownerId,
                createdAt: Self.date(now), memberCount: 1, isMember: true)
        }
    }

    func hasChannels() async throws -> Bool {
        try await pool.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM channels)") ?? false }
    }

    private static let channelColumns = """
        SELECT c.*, (SELECT COUNT(*) FROM memberships m WHERE m.channel_id = c.id) AS member_count,
               EXISTS (SELECT 1 FROM memberships m WHERE m.channel_id = c.id AND m.user_id = ?) AS is_member
        FROM channels c
        """

    func channel(id: String, viewerId: String) async throws -> Channel? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: Self.channelColumns + " WHERE c.id = ?"), arguments: [viewerId, id])
                .map(Self.channel(from:))
        }
    }

    func channel(named name: String, viewerId: String) async throws -> Channel? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: Self.channelColumns + " WHERE c.name = ?"), arguments: [viewerId, name])
                .map(Self.channel(from:))
        }
    }

    func channels(viewerId: String, scope: ChannelScope) async throws -> [Channel] {
        let filter = switch scope {
        case .memberOf: " WHERE c.id IN (SELECT channel_id FROM memberships WHERE user_id = ?)"
        case .publicChannels: " WHERE c.is_private = 0 AND ? IS NOT NULL"
        }
        return try await pool.read { db in
            try Row.fetchAll(db, sql: Self.channelColumns + filter + " ORDER BY c.name", arguments: [viewerId, viewerId])
                .map(Self.channel(from:))
        }
    }

    static func channel(from row: Row) -> Channel {
        Channel(
            id: row["id"], name: row["name"], description: row["description"], isPrivate: row["is_private"],
            createdBy: row["created_by"], createdAt: date(row["created_at"]),
            memberCount: row["member_count"], isMember: row["is_member"])
    }

    func role(of userId: String, in channelId: String) async throws -> MemberRole? {
        try await pool.read { db in try Self.role(of: userId, in: channelId, db: db) }
    }

    /// `userId`'s role in `channelId`, read in `db`'s transaction.
    static func role(of userId: String, in channelId: String, db: Database) throws -> MemberRole? {
        try String.fetchOne(
            db.cachedStatement(sql: "SELECT role FROM memberships WHERE channel_id = ? AND user_id = ?"), arguments: [channelId, userId]
        ).map(MemberRole.init(rawValue:))
    }

    func addMember(userId: String, to channelId: String, role: MemberRole) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO memberships (channel_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)",
                arguments: [channelId, userId, role.rawValue, self.now()])
            return db.changesCount > 0
        }
    }

    func removeMember(userId: String, from channelId: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM memberships WHERE channel_id = ? AND user_id = ?", arguments: [channelId, userId])
            return db.changesCount > 0
        }
    }

    func members(of channelId: String) async throws -> [(user: User, role: MemberRole, joinedAt: Date)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.*, m.role, m.joined_at FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.channel_id = ? ORDER BY m.role = 'owner' DESC, u.username COLLATE NOCASE
                """, arguments: [channelId]
            ).map { row in (Self.user(from: row), MemberRole(rawValue: row["role"]), Self.date(row["joined_at"])) }
        }
    }

    func channelIds(memberOf userId: String) async throws -> [String] {
        try await pool.read { db in try Self.channelIds(memberOf: userId, db: db) }
    }

    /// `channelIds(memberOf:)` within a read of the caller's (``socketStanding(userId:tokenId:)``'s).
    static func channelIds(memberOf userId: String, db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT channel_id FROM memberships WHERE user_id = ?"), arguments: [userId])
    }

    func memberIds(of channelId: String) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT user_id FROM memberships WHERE channel_id = ?", arguments: [channelId])
        }
    }

    // MARK: Health

    func healthProblem() async -> String? {
        do {
            _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return nil
        } catch {
            return "database unavailable"
        }
    }

    func close() async {
        directReader.close()
        _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try? pool.close()
    }
}
