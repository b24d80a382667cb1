import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
// ConnectionPoolError: how the pool says it has given up connecting.
import _ConnectionPoolModule
import PythiaProtocol
import Synchronization

/// ``ChatStorage`` in a PostgreSQL database that several server processes may share.
///
/// A pool of ``ServerConfiguration/databasePoolSize`` connections (postgres-nio's
/// `PostgresClient`, which reconnects by itself); `synchronous_commit` is forced on, and
/// every write returns only after its `COMMIT`, so a stored message survives a crash of
/// the database server. Each call waits at most ``ServerConfiguration/databaseTimeout``
/// for a connection and its answer: past it, or when the database cannot be reached, it
/// throws ``StorageError/unavailable(_:)`` (a 503) instead of holding the request.
///
/// History order: `messages.seq` is an identity column, and every statement that posts
/// first locks its channel's row (`FOR NO KEY UPDATE`) until its commit, so that within a
/// channel the sequence numbers are given out and committed in the same order: a reader never
/// sees a message appear behind one it has already read, even with posts from several
/// processes at once (posts to different channels do not wait for each other). The posts to
/// one channel that arrive while this process's statement for it runs wait for it and then
/// share one statement, one lock and one commit (``posts``).
final class PostgresStorage: ChatStorage {
    let location: PostgresLocation
    /// Concurrent posts to one channel (the key) share a statement.
    let posts = CommitGroup<String, PendingPost>()
    /// The authors of this process's posts, read once.
    let authors = AuthorCache()
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let timeout: Duration
    /// What ``now()`` reads: the time, or a test's clock.
    private let clock: @Sendable () -> Date
    /// Whether the last call found the database out of reach. Calls then wait at most
    /// ``outageTimeout`` for a connection (their query, once connected, still has the whole
    /// timeout), so that during an outage each request answers 503 at once rather than
    /// after the whole timeout; the first call that succeeds ends it.
    private let inOutage = Mutex(false)
    private static let outageTimeout: Duration = .milliseconds(500)
    let logger: Logger

    private init(
        location: PostgresLocation, client: PostgresClient, runTask: Task<Void, Never>, timeout: Duration,
        clock: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.location = location
        self.client = client
        self.runTask = runTask
        self.timeout = timeout
        self.clock = clock
        self.logger = logger
    }

    /// Connects, then migrates the database on that first connection (under an advisory lock,
    /// so that processes starting together take turns); refuses one that a newer build migrated.
    /// - Throws: ``ServerError`` naming the database (never its password) and the cause.
    static func open(
        _ location: PostgresLocation, poolSize: Int, timeout: Duration, clock: @escaping @Sendable () -> Date = Date.init, logger: Logger
    ) async throws(ServerError) -> PostgresStorage {
        let (connectionTLS, clientTLS) = try tlsSettings(location.tlsMode)
        // One plain connection first, for the migrations: the pool retries a refused
        // connection for 15 s before it gives up, and says less about why.
        var probe = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username,
            password: location.password, database: location.database, tls: connectionTLS)
        probe.options.connectTimeout = .nanoseconds(max(1, timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
        } catch {
            throw .databaseUnavailable(path: location.description, reason: explain(error, at: location))
        }
        do {
            try await migrate(on: connection, location: location, logger: logger)
            try? await connection.close()
        } catch let error as ServerError {
            try? await connection.close()
            throw error
        } catch {
            try? await connection.close()
            throw .databaseUnavailable(path: location.description, reason: explain(error, at: location))
        }
        let client = PostgresClient(
            configuration: poolConfiguration(location, tls: clientTLS, poolSize: poolSize, timeout: timeout), backgroundLogger: logger)
        // Immediate: `run()` has begun before the first request leases a connection (postgres-nio
        // warns at each start otherwise, though the request would wait).
        let runTask = Task.immediate { await client.run() }
        return PostgresStorage(location: location, client: client, runTask: runTask, timeout: timeout, clock: clock, logger: logger)
    }

    /// A pool of at most `poolSize` connections to `location`, each committing durably.
    static func poolConfiguration(
        _ location: PostgresLocation, poolSize: Int, timeout: Duration
    ) throws(ServerError) -> PostgresClient.Configuration {
        poolConfiguration(location, tls: try tlsSettings(location.tlsMode).1, poolSize: poolSize, timeout: timeout)
    }

    private static func poolConfiguration(
        _ location: PostgresLocation, tls: PostgresClient.Configuration.TLS, poolSize: Int, timeout: Duration
    ) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username,
            password: location.password, database: location.database, tls: tls)
        configuration.options.maximumConnections = poolSize
        configuration.options.connectTimeout = timeout
        configuration.options.additionalStartupParameters = [("synchronous_commit", "on"), ("application_name", "pythia-chat")]
        return configuration
    }

    /// The TLS settings of `mode`, for a single connection and for the pool.
    private static func tlsSettings(
        _ mode: PostgresLocation.TLSMode
    ) throws(ServerError) -> (PostgresConnection.Configuration.TLS, PostgresClient.Configuration.TLS) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if mode != .verifyFull { configuration.certificateVerification = .none }
        do {
            switch mode {
            case .disable: return (.disable, .disable)
            case .prefer: return (.prefer(try NIOSSLContext(configuration: configuration)), .prefer(configuration))
            case .require, .verifyFull: return (.require(try NIOSSLContext(configuration: configuration)), .require(configuration))
            }
        } catch {
            throw .tlsUnusable("cannot set up TLS for PostgreSQL: \(error)")
        }
    }

    /// What went wrong reaching the database, in words: the server's own message, or the
    /// network error, with the address.
    static func explain(_ error: any Error, at location: PostgresLocation) -> String {
        if let error = error as? PSQLError {
            if error.code == .server, let message = error.serverInfo?[.message] { return message }
            let cause = error.underlying.map(networkCause) ?? "\(error.code)"
            return "cannot connect to \(location.address): \(cause)"
        }
        return "cannot connect to \(location.address): \(error)"
    }

    /// "Connection refused" rather than NIO's account of every address it tried.
    private static func networkCause(_ error: any Error) -> String {
        guard let failure = error as? NIOConnectionError else { return "\(error)" }
        if let io = failure.connectionErrors.last?.error as? IOError { return String(cString: strerror(io.errnoCode)) }
        if failure.connectionErrors.isEmpty, failure.dnsAError != nil || failure.dnsAAAAError != nil {
            return "cannot resolve the host name"
        }
        return failure.connectionErrors.last.map { "\($0.error)" } ?? "\(error)"
    }

    // MARK: Running queries

    /// Runs `operation` on a pooled connection, within ``timeout``.
    func withConnection<T: Sendable>(_ operation: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let connected = ConnectedFlag()
        return try await guarded(timeout: timeout, connected: connected) { [client] in
            try await client.withConnection { connection in
                connected.set()
                try connection.checkOpen()
                return try await operation(connection)
            }
        }
    }

    /// Runs `operation` in a transaction on a pooled connection.
    func transaction<T: Sendable>(_ operation: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { [logger] connection in try await connection.transaction(logger: logger, operation) }
    }

    /// `operation` within `timeout` (within ``outageTimeout`` until `connected` is set, during
    /// an outage); a database out of reach becomes ``StorageError/unavailable(_:)``.
    private func guarded<T: Sendable>(
        timeout: Duration, connected: ConnectedFlag, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let connectionTimeout = inOutage.withLock { $0 } ? min(timeout, Self.outageTimeout) : timeout
        do {
            let result: T = try await FirstOutcome.of(operation) {
                try await Task.sleep(for: connectionTimeout)
                guard connected.isSet else { return StorageError.unavailable("no connection to the database within \(connectionTimeout)") }
                try await Task.sleep(for: timeout - connectionTimeout)
                return StorageError.unavailable("no answer from the database within \(timeout)")
            }
            inOutage.withLock { $0 = false }
            return result
        } catch StorageError.unavailable(let reason) {
            inOutage.withLock { $0 = true }
            throw StorageError.unavailable(reason)
        } catch {
            guard let reason = Self.unavailability(error) else {
                // The database answered (a bad row, a conflict): it is reachable.
                inOutage.withLock { $0 = false }
                throw error
            }
            inOutage.withLock { $0 = true }
            throw StorageError.unavailable(reason)
        }
    }

    /// Why `error` means the database is out of reach (as opposed to a bad query), if it does.
    private static func unavailability(_ error: any Error) -> String? {
        if error is ConnectionPoolError { return "cannot connect to the database" }
        guard let error = error as? PSQLError else { return nil }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
        case .server:
            // Connection exceptions (class 08), the server shutting down or starting, too many connections.
            let state = error.serverInfo?[.sqlState] ?? ""
            guard state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state) else { return nil }
            return error.serverInfo?[.message] ?? state
        default:
            return nil
        }
    }

    /// Every row `query` answers.
    static func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// The server error's SQLSTATE, when `error` is one.
    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    // MARK: Migrations

    /// Applies the migrations `connection`'s database lacks. Another process may hold the
    /// lock while it migrates: this waits for it, without a request's timeout.
    private static func migrate(on connection: PostgresConnection, location: PostgresLocation, logger: Logger) async throws {
        let known = Set(PostgresSchema.migrations.map(\.identifier))
        try await connection.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (identifier TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                logger: logger)
            let applied = Set(try await Self.rows("SELECT identifier FROM schema_migrations", on: connection, logger: logger)
                .map { try $0["identifier"].decode(String.self) })
            // Sorted, so that the message names the same one each time.
            if let newer = applied.subtracting(known).sorted().first {
                throw ServerError.databaseUnavailable(
                    path: location.description,
                    reason: "this database was written by a newer pythia-chat (migration \(newer)); upgrade pythia-chat or restore a backup")
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (identifier, applied_at) VALUES (\(migration.identifier), \(Self.now()))",
                    logger: logger)
            }
        }
    }

    /// Now, in whole milliseconds since 1970: what the database stores.
    static func now() -> Int64 { millis(Date()) }
    /// The storage's clock's now (a test's clock), in whole milliseconds since 1970.
    func now() -> Int64 { Self.millis(clock()) }
    private static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    static func newID() -> String { UUID().uuidString.lowercased() }

    // MARK: Health

    func healthProblem() async -> String? {
        do {
            try await withConnection { [logger] connection in _ = try await connection.query("SELECT 1", logger: logger) }
            return nil
        } catch StorageError.unavailable(let reason) {
            return "database unavailable: \(reason)"
        } catch {
            return "database unavailable"
        }
    }

    func close() async {
        runTask.cancel()
        await runTask.value
    }
}
