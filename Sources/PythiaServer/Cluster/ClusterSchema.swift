import Logging
import PostgresNIO

/// The tables of ``PostgresBroker``: versioned, forward-only migrations applied at start
/// under an advisory lock, so that processes starting together apply each once.
enum ClusterSchema {
    /// One migration: a name, never reused, and its statements.
    struct Migration: Sendable {
        let name: String
        let statements: [String]
    }

    /// Every migration, oldest first: add new ones at the end, never edit a shipped one.
    static let migrations = [
        Migration(name: "cluster v1", statements: [
            // The event log: ids are taken and committed in increasing order (see
            // ClusterEventLog.append), so every process applies them in id order.
            """
            CREATE TABLE cluster_events (
                id bigserial PRIMARY KEY,
                event text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """,
            "CREATE INDEX cluster_events_created_at ON cluster_events (created_at)",
            // The highest id pruned: a process that had not applied it has missed events.
            """
            CREATE TABLE cluster_log_state (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                pruned_through bigint NOT NULL DEFAULT 0)
            """,
            "INSERT INTO cluster_log_state DEFAULT VALUES",
            """
            CREATE TABLE cluster_processes (
                id text PRIMARY KEY,
                started_at timestamptz NOT NULL DEFAULT now(),
                heartbeat_at timestamptz NOT NULL DEFAULT now())
            """,
            // A user with at least one connection on a process: a row.
            """
            CREATE TABLE cluster_presence (
                process_id text NOT NULL REFERENCES cluster_processes (id) ON DELETE CASCADE,
                user_id text NOT NULL,
                PRIMARY KEY (process_id, user_id))
            """,
            "CREATE INDEX cluster_presence_user ON cluster_presence (user_id)",
        ]),
    ]

    /// The advisory lock that serialises migrations (any process, any migration list).
    static let migrationLock: Int64 = 0x7079_7468_6961_0000

    /// Applies the migrations `database` lacks.
    static func migrate(_ database: PostgresClient, logger: Logger) async throws {
        try await database.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS cluster_schema_migrations (
                    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM cluster_schema_migrations", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO cluster_schema_migrations (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }
}
