import Logging
import PostgresNIO

/// Presence across processes: a row per process (with its heartbeat) and a row per user
/// with a connection on a process. A user's `user_status` is appended to the event log in
/// the transaction that adds their first row or removes their last one, under a per-user
/// advisory lock, so that each real cluster-wide transition is broadcast once.
struct ClusterPresence: Sendable {
    let database: PostgresClient
    let processId: String
    let logger: Logger

    /// The namespace of the per-user advisory locks (the key is the user id's hash).
    static let userLockSpace: Int32 = 0x7079_7468

    /// Registers this process (again, when a survivor reaped it); `false` when it was there.
    func registerProcess() async throws -> Bool {
        var inserted = false
        for try await _ in try await database.query("""
            INSERT INTO cluster_processes (id) VALUES (\(processId))
            ON CONFLICT (id) DO NOTHING RETURNING 1
            """, logger: logger) {
            inserted = true
        }
        return inserted
    }

    /// Refreshes this process's heartbeat; `false` when its row is gone (a survivor took it
    /// for dead, and broadcast its users offline).
    func heartbeat() async throws -> Bool {
        var found = false
        for try await _ in try await database.query(
            "UPDATE cluster_processes SET heartbeat_at = now() WHERE id = \(processId) RETURNING 1", logger: logger) {
            found = true
        }
        return found
    }

    /// The users this process has a row for.
    func registeredUsers() async throws -> Set<String> {
        var users: Set<String> = []
        for try await user in try await database.query(
            "SELECT user_id FROM cluster_presence WHERE process_id = \(processId)", logger: logger).decode(String.self) {
            users.insert(user)
        }
        return users
    }

    /// `userId` has a connection on `process`: their `user_status` online goes to the rooms of
    /// `channelIds` when no process had one.
    func arrive(_ userId: String, channelIds: Set<String>, on process: String? = nil) async throws {
        try await database.transaction(logger: logger) { connection in
            try await lock(userId, on: connection)
            let added = try await rowCount(of: connection.query("""
                INSERT INTO cluster_presence (process_id, user_id) VALUES (\(process ?? processId), \(userId))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger))
            guard added > 0, try await processCount(of: userId, on: connection) == 1 else { return }
            try await ClusterEventLog.append(event(.arrived(userId: userId, channelIds: channelIds)), on: connection, logger: logger)
        }
    }

    /// `userId` has no connection left on `process` (this one by default): offline goes to
    /// the rooms of `channelIds` when no process has one any more.
    func depart(_ userId: String, channelIds: Set<String>, from process: String? = nil) async throws {
        try await database.transaction(logger: logger) { connection in
            try await lock(userId, on: connection)
            let removed = try await rowCount(of: connection.query(
                "DELETE FROM cluster_presence WHERE process_id = \(process ?? processId) AND user_id = \(userId) RETURNING 1",
                logger: logger))
            guard removed > 0, try await processCount(of: userId, on: connection) == 0 else { return }
            try await ClusterEventLog.append(event(.departed(userId: userId, channelIds: channelIds)), on: connection, logger: logger)
        }
    }

    /// The processes whose heartbeat is older than `expiry` (never this one).
    func deadProcesses(expiry: Duration) async throws -> [String] {
        var ids: [String] = []
        for try await id in try await database.query("""
            SELECT id FROM cluster_processes
            WHERE id <> \(processId) AND heartbeat_at < now() - \(expiry.secondsValue) * interval '1 second'
            """, logger: logger).decode(String.self) {
            ids.append(id)
        }
        return ids
    }

    /// The users with a row on `process`.
    func users(on process: String) async throws -> [String] {
        var users: [String] = []
        for try await user in try await database.query(
            "SELECT user_id FROM cluster_presence WHERE process_id = \(process)", logger: logger).decode(String.self) {
            users.append(user)
        }
        return users
    }

    /// Forgets a process (its remaining rows go with it).
    func removeProcess(_ process: String) async throws {
        try await database.query("DELETE FROM cluster_processes WHERE id = \(process)", logger: logger)
    }

    /// Which of `userIds` have a connection on any process.
    func online(among userIds: [String]) async throws -> [String] {
        var online: Set<String> = []
        for try await user in try await database.query(
            "SELECT DISTINCT user_id FROM cluster_presence WHERE user_id = ANY(\(userIds))", logger: logger).decode(String.self) {
            online.insert(user)
        }
        return userIds.filter(online.contains)
    }

    private func lock(_ userId: String, on connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.userLockSpace), hashtext(\(userId)))", logger: logger)
    }

    private func processCount(of userId: String, on connection: PostgresConnection) async throws -> Int {
        for try await count in try await connection.query(
            "SELECT count(*)::int8 FROM cluster_presence WHERE user_id = \(userId)", logger: logger).decode(Int64.self) {
            return Int(count)
        }
        return 0
    }

    private func rowCount(of rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }

    /// The `user_status` of a transition, as every process delivers it.
    private func event(_ transition: HubReport) -> ClusterEvent {
        let (frame, audience) = transition.broadcast
        return ClusterEvent(frame: frame, audience: audience)
    }
}
