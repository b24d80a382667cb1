import Foundation
import Logging
import PostgresNIO
@testable import PythiaServer
import PythiaTestSupport

/// A connection of a test's own to a PostgreSQL test database: it holds a channel's or a
/// user's row lock as another process's change would, ends the storage's connections that wait for it, and
/// counts the transactions that stored a channel's messages.
final class DatabaseProbe: TestFixture {
    private let connection: PostgresConnection
    private static let logger = Logger(label: "test-probe")

    private init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Connects to the database at `location`.
    static func connect(_ location: PostgresLocation) async throws -> DatabaseProbe {
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username,
            password: location.password, database: location.database, tls: .disable)
        return DatabaseProbe(connection: try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger))
    }

    /// Locks the row `id` of `table` (`channels`, `users`) as a change of it would, until
    /// ``commit()``: a post to that channel, or by that user, waits for it.
    func lockRow(of table: String, id: String) async throws {
        var bindings = PostgresBindings()
        bindings.append(id)
        try await connection.query("BEGIN", logger: Self.logger)
        try await connection.query(PostgresQuery(unsafeSQL: "SELECT 1 FROM \(table) WHERE id = $1 FOR UPDATE", binds: bindings), logger: Self.logger)
    }

    /// Deletes the row `id` of `table` in the transaction of ``lockRow(of:id:)``.
    func deleteRow(of table: String, id: String) async throws {
        var bindings = PostgresBindings()
        bindings.append(id)
        try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE id = $1", binds: bindings), logger: Self.logger)
    }

    /// Ends the transaction of ``lockRow(of:id:)``.
    func commit() async throws {
        try await connection.query("COMMIT", logger: Self.logger)
    }

    /// Waits (up to 10 s) until some connection of the database waits for a lock; with
    /// `terminating`, ends every connection that does.
    func waitForLockWaiters(terminating: Bool = false) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            // Within the transaction of the lock, the activity read first would be read again.
            try await connection.query("SELECT pg_stat_clear_snapshot()", logger: Self.logger)
            for try await count in try await connection.query("""
                SELECT count(*) FILTER (WHERE NOT \(terminating) OR pg_terminate_backend(pid))::int8 FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                """, logger: Self.logger).decode(Int64.self) where count > 0 {
                return
            }
            // Polls the database: the storage's transaction reaches the lock on its own.
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ProbeTimeout(what: "a connection waiting for a lock")
    }

    /// How many transactions stored the messages of `channelId`: rows one transaction wrote share its id (`xmin`).
    func transactions(storingMessagesOf channelId: String) async throws -> Int {
        for try await count in try await connection.query(
            "SELECT count(DISTINCT xmin::text)::int8 FROM messages WHERE channel_id = \(channelId)", logger: Self.logger
        ).decode(Int64.self) {
            return Int(count)
        }
        return 0
    }

    /// The `content` of each `new_message` in the cluster's event log, in id order.
    func announcedContents() async throws -> [String] {
        var contents: [String] = []
        for try await json in try await connection.query("SELECT event FROM cluster_events ORDER BY id", logger: Self.logger).decode(String.self) {
            guard case .deliver(_, let frame) = try ClusterEvent(json: json),
                  let event = try JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any],
                  event["type"] as? String == "new_message",
                  let content = (event["data"] as? [String: Any])?["content"] as? String
            else { continue }
            contents.append(content)
        }
        return contents
    }

    func tearDown() async {
        try? await connection.close()
    }
}
