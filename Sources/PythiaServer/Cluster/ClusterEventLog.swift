import Logging
import PostgresNIO

/// The table of published events and its notifications.
///
/// Order: ``append(_:on:logger:)`` takes one transaction-scoped advisory lock before it takes
/// an id, and holds it until its transaction ends, so ids commit in increasing order and
/// PostgreSQL delivers the notifications in commit order: every listener sees ids increase.
/// A listener that was away reads the ids above the last it applied (see ``PostgresBroker``).
enum ClusterEventLog {
    /// The `LISTEN` channel of the cluster.
    static let channel = "pythia_cluster"
    /// The lock every append holds until its transaction ends.
    static let appendLock: Int64 = 0x7079_7468_6961_0001
    /// NOTIFY payloads must be shorter than 8000 bytes; longer events go by id.
    static let notifyLimit = 8000

    /// Appends `event` and notifies every process, inside the transaction open on
    /// `connection`: a batch of one (see the batch's `append` below).
    /// - Returns: the event's id.
    @discardableResult
    static func append(_ event: ClusterEvent, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        guard let id = try await append([event], on: connection, logger: logger).first else {
            throw StorageError.notFound("the id of a cluster event just stored")
        }
        return id
    }

    /// Appends `events`, in this order, and notifies every process, inside the transaction
    /// open on `connection` — a caller that stores what the events announce (messages) appends
    /// in the same transaction, so that delivery order is the order of what is stored. Make it
    /// the transaction's last statement: every other append waits for its commit.
    /// - Returns: their ids, increasing.
    @discardableResult
    static func append(_ events: [ClusterEvent], on connection: PostgresConnection, logger: Logger) async throws -> [Int64] {
        guard !events.isEmpty else { return [] }
        var bindings = PostgresBindings()
        bindings.append(appendLock)
        bindings.append(try events.map { try $0.json() })
        bindings.append(channel)
        let statements = appending(
            "unnest($2::text[]) WITH ORDINALITY AS event(json, position)", orderedBy: "event.position", lock: "$1", channel: "$3")
        var ids: [Int64] = []
        for try await id in try await connection.query(
            PostgresQuery(unsafeSQL: "WITH " + statements.joined(separator: ",\n") + "\nSELECT id FROM notified", binds: bindings), logger: logger
        ).decode(Int64.self) {
            ids.append(id)
        }
        guard ids.count == events.count else { throw StorageError.notFound("the ids of cluster events just stored") }
        return ids
    }

    /// The common table expressions of an append, for a statement of the caller's: they store
    /// the `json` column of `source`'s rows in the order `order`, and notify every process;
    /// `notified` names the ids, increasing. Its lock is taken first (`lock` is its parameter),
    /// or once the rows of `after`, a query, are all made: a statement that stores what it
    /// announces takes its own locks first, and the append's lock last, as a transaction
    /// whose last statement appends does. `channel` is the parameter of the `LISTEN` channel.
    ///
    /// One round trip for the lock, the ids and the notifications, for it runs while the
    /// caller holds its locks. PostgreSQL sends a transaction's notifications in the order
    /// they were made, which is the sort's: `pg_notify`, being volatile, is evaluated after it.
    static func appending(_ source: String, orderedBy order: String, after: String? = nil, lock: String, channel: String) -> [String] {
        [
            "append_lock AS (SELECT pg_advisory_xact_lock(\(lock))\(after.map { " FROM (\($0)) AS done" } ?? ""))",
            "event AS (INSERT INTO cluster_events (event) SELECT json FROM append_lock, \(source) ORDER BY \(order) RETURNING id, event)",
            "notified AS (SELECT id, pg_notify(\(channel), \(ClusterNotification.eventPayloadSQL(id: "id", json: "event"))) FROM event ORDER BY id)",
        ]
    }

    /// Sends an event to the processes listening now, without storing it (typing).
    static func notifyEphemeral(_ event: ClusterEvent, on database: PostgresClient, logger: Logger) async throws {
        let payload = ClusterNotification.ephemeral(json: try event.json()).payload
        guard payload.utf8.count < notifyLimit else { return }
        try await database.query("SELECT pg_notify(\(channel), \(payload))", logger: logger)
    }

    /// The events after `id`, oldest first, at most `limit`.
    static func events(after id: Int64, limit: Int, on connection: PostgresConnection, logger: Logger) async throws -> [(id: Int64, json: String)] {
        var events: [(id: Int64, json: String)] = []
        for try await (id, json) in try await connection.query(
            "SELECT id, event FROM cluster_events WHERE id > \(id) ORDER BY id LIMIT \(limit)", logger: logger
        ).decode((Int64, String).self) {
            events.append((id, json))
        }
        return events
    }

    /// The event `id`, `nil` when it has been pruned.
    static func event(id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        for try await json in try await connection.query("SELECT event FROM cluster_events WHERE id = \(id)", logger: logger).decode(String.self) {
            return json
        }
        return nil
    }

    /// The highest id stored, 0 for none.
    static func lastId(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        for try await id in try await connection.query("SELECT coalesce(max(id), 0)::int8 FROM cluster_events", logger: logger).decode(Int64.self) {
            return id
        }
        return 0
    }

    /// The highest id pruned: a process whose last applied id is below it missed events.
    static func prunedThrough(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        for try await id in try await connection.query("SELECT pruned_through FROM cluster_log_state", logger: logger).decode(Int64.self) {
            return id
        }
        return 0
    }

    /// Deletes the events older than `age`, and records the highest id deleted.
    static func prune(olderThan age: Duration, on database: PostgresClient, logger: Logger) async throws {
        try await database.query("""
            WITH gone AS (
                DELETE FROM cluster_events WHERE created_at < clock_timestamp() - \(age.secondsValue) * interval '1 second'
                RETURNING id)
            UPDATE cluster_log_state SET pruned_through = greatest(pruned_through, (SELECT max(id) FROM gone))
            """, logger: logger)
    }
}
