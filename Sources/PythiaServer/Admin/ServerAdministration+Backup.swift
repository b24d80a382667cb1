import Foundation
import GRDB
import PythiaProtocol

extension ServerAdministration {
    /// The suffix of the database a restore replaced, kept beside it.
    public static let beforeRestoreSuffix = ".before-restore"

    /// Copies the database to `destination` with SQLite's online backup API: one consistent
    /// snapshot, taken while a server keeps writing (WAL readers never block writers). The
    /// copy is made in a private (0600) temporary file beside `destination`, then renamed
    /// over it, so `destination` is never a half-written backup.
    /// A PostgreSQL database is refused: pg_dump backs it up.
    public func backup(to destination: String) async throws(AdminError) -> String {
        guard let sqlite else {
            throw .invalid("backup works on a SQLite file; back up \(databasePath) with pg_dump --format=custom")
        }
        let temporary = Self.temporaryPath(beside: destination)
        do {
            try PrivateFile.restrict(atPath: temporary, creating: true)
        } catch {
            throw .fileProblem(path: destination, reason: "cannot create a file in its directory (\(error.reason))")
        }
        do {
            let target = try DatabaseQueue(path: temporary)
            try sqlite.pool.backup(to: target)
            // A single file, readable without its WAL: the copy leaves WAL mode.
            try await target.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try target.close()
            try Self.replace(destination, with: temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? AdminError { throw error }
            throw .fileProblem(path: destination, reason: (error as? DatabaseError).map(SQLiteStorage.explain) ?? "\(error)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
        return "backed up \(databasePath) to \(destination) (\(size) bytes, mode 0600)"
    }

    /// Replaces the database at `databasePath` with the backup at `backupPath`, when no
    /// server runs on it (``DatabaseLock``, held exclusively meanwhile, so none starts).
    ///
    /// The backup is checked first — an SQLite file whose `integrity_check` passes, with
    /// pythia-chat's tables, and no migration newer than this build knows — and copied into
    /// a temporary file beside the database; only then is the database (with its `-wal` and
    /// `-shm`, which hold committed data of a server that was killed) moved aside to
    /// `DATABASE.before-restore` and the copy renamed into its place.
    public static func restore(databasePath: String, from backupPath: String) throws(AdminError) -> String {
        guard FileManager.default.fileExists(atPath: backupPath) else {
            throw .unusableBackup(path: backupPath, reason: "there is no such file")
        }
        let lock: DatabaseLock
        do {
            lock = try DatabaseLock.acquire(forDatabaseAt: databasePath, exclusive: true)
        } catch {
            switch error {
            case .held(let pid): throw .serverRunning(path: databasePath, pid: pid)
            case .unusable(let problem): throw .fileProblem(path: databasePath, reason: problem)
            }
        }
        defer { lock.release() }
        let source = try openBackup(backupPath)
        defer { try? source.close() }
        let temporary = temporaryPath(beside: databasePath)
        do {
            try PrivateFile.restrict(atPath: temporary, creating: true)
            let target = try DatabaseQueue(path: temporary)
            try source.backup(to: target)
            try target.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .fileProblem(path: databasePath, reason: "cannot write the restored copy beside it (\(error))")
        }
        let kept = databasePath + beforeRestoreSuffix
        let hadDatabase = FileManager.default.fileExists(atPath: databasePath)
        do {
            for companion in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: kept + companion)
                if FileManager.default.fileExists(atPath: databasePath + companion) {
                    try FileManager.default.moveItem(atPath: databasePath + companion, toPath: kept + companion)
                }
            }
            try replace(databasePath, with: temporary)
        } catch {
            throw .fileProblem(path: databasePath, reason: "the restore stopped half-way (\(error)); the previous database is \(kept)")
        }
        return "restored \(backupPath) into \(databasePath)"
            + (hadDatabase ? "; the previous database is kept as \(kept)" : "")
    }

    /// The backup at `path`, opened read-only, once it is known to be a sound pythia-chat
    /// database this build can open.
    private static func openBackup(_ path: String) throws(AdminError) -> DatabaseQueue {
        let newer: String?
        let queue: DatabaseQueue
        do {
            var configuration = Configuration()
            configuration.readonly = true
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let problems = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            guard problems == ["ok"] else {
                throw AdminError.unusableBackup(path: path, reason: "its integrity check failed (\(problems.prefix(3).joined(separator: "; ")))")
            }
            let isPythia = try queue.read { db in
                try ["grdb_migrations", "users", "channels", "messages"].allSatisfy { try db.tableExists($0) }
            }
            guard isPythia else { throw AdminError.unusableBackup(path: path, reason: "it is not a pythia-chat database") }
            newer = try SQLiteSchema.unknownMigration(inDatabaseAt: path)
        } catch let error as AdminError {
            throw error
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw .unusableBackup(path: path, reason: "it is not a pythia-chat database (or it is corrupt)")
        } catch {
            throw .unusableBackup(path: path, reason: (error as? DatabaseError).map(SQLiteStorage.explain) ?? "\(error)")
        }
        if let newer {
            throw .unusableBackup(path: path, reason: "a newer pythia-chat wrote it (migration \(newer)); upgrade pythia-chat first")
        }
        return queue
    }

    /// A fresh name for a temporary file in the directory of `path`.
    private static func temporaryPath(beside path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
    }

    /// Renames `temporary` over `path` and flushes the file and its directory to disk.
    private static func replace(_ path: String, with temporary: String) throws {
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: temporary))
        try file.synchronize()
        try file.close()
        guard rename(temporary, path) == 0 else {
            throw AdminError.fileProblem(path: path, reason: String(cString: strerror(errno)))
        }
        syncDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }
}

/// Flushes a directory's entries (a rename) to disk; a file system that cannot is no reason to fail.
private func syncDirectory(_ path: String) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    close(descriptor)
}
