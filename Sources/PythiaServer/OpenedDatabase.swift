import Foundation

/// The storage a server runs on, with the operator's changes made from another process
/// (`pythia-chat admin`) and the retention job, and what only a SQLite file has: the lock
/// that keeps a restore away while the server runs.
struct OpenedDatabase {
    let storage: any ChatStorage
    /// The token signing secret: configured, or (SQLite only) kept beside the database.
    let secret: String
    /// What `pythia-chat admin` and `--retention-days` work on: the storage itself. On
    /// PostgreSQL every process of a cluster polls the same `account_changes`.
    let administration: (any AdministrationStorage)?
    let lock: DatabaseLock?
    /// The last account change made before this start: every later one closes sockets.
    let accountChangesSeen: Int64
    /// PostgreSQL: the processes on the database share live events, presence and typing,
    /// always through this database, where the storage appends what its changes announce.
    let cluster: ClusterConfiguration?

    /// Opens and migrates the database `configuration` names.
    /// - Throws: ``ServerError`` saying what is wrong with the database, its secret or the options.
    static func open(_ configuration: ServerConfiguration) async throws -> OpenedDatabase {
        let storage: any ChatStorage & AdministrationStorage
        let secret: String
        var lock: DatabaseLock?
        var cluster: ClusterConfiguration?
        switch configuration.database {
        case .sqlite(let path):
            secret = try SecretStore.secret(configured: configuration.jwtSecret, databasePath: path)
            storage = try SQLiteStorage(path: path, clock: configuration.clock)
            do {
                lock = try DatabaseLock.acquire(forDatabaseAt: path, exclusive: false)
            } catch {
                await storage.close()
                throw ServerError.databaseUnavailable(path: path, reason: error.reason)
            }
        case .postgres(let location):
            // No file to keep a generated secret in, and every process must share it.
            secret = try SecretStore.secret(configured: configuration.jwtSecret, databasePath: nil)
            storage = try await PostgresStorage.open(
                location, poolSize: configuration.databasePoolSize, timeout: configuration.databaseTimeout, clock: configuration.clock,
                logger: configuration.logger)
            // The broker's own small pool, beside the storage's, and its listening connection,
            // on the storage's database whatever `configuration.cluster` names: a stored
            // message's events are appended in its transaction (see `Announcement`).
            let brokerPool = try PostgresStorage.poolConfiguration(location, poolSize: 4, timeout: configuration.databaseTimeout)
            var onStorage = configuration.cluster ?? ClusterConfiguration(database: brokerPool)
            onStorage.database = brokerPool
            cluster = onStorage
        }
        do {
            return OpenedDatabase(
                storage: storage, secret: secret, administration: storage, lock: lock,
                accountChangesSeen: try await storage.latestAccountChange(), cluster: cluster)
        } catch {
            await storage.close()
            lock?.release()
            throw ServerError.databaseUnavailable(path: configuration.database.description, reason: "\(error)")
        }
    }

    /// Closes the storage and lets a restore have the file.
    func close() async {
        await storage.close()
        lock?.release()
    }
}
