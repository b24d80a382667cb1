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
        let jsons = try events.map { try $0.json() }
        // The lock, the ids and the notifications in one round trip, for this runs while the
        // caller holds its channel's lock. Ids are taken in the order given; each notification
        // names its own event, and PostgreSQL sends a transaction's notifications in the order
        // they were made, which is the sort's (it evaluates the volatile `pg_notify` after it).
        var ids: [Int64] = []
        for try await row in try await connection.query("""
            WITH locked AS (SELECT pg_advisory_xact_lock(\(appendLock))),
            stored AS (
                INSERT INTO cluster_events (event)
                SELECT event.json FROM locked, unnest(\(jsons)::text[]) WITH ORDINALITY AS event(json, position) ORDER BY event.position
                RETURNING id, event)
            SELECT id, pg_notify(\(channel), \(unescaped: ClusterNotification.eventPayloadSQL(id: "id", json: "event"))) FROM stored ORDER BY id
            """, logger: logger
        ) {
            ids.append(try row.makeRandomAccess()["id"].decode(Int64.self))
        }
        guard ids.count == events.count else { throw StorageError.notFound("the ids of cluster events just stored") }
        return ids
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
