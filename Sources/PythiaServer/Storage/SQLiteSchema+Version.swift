import Foundation
import GRDB

extension SQLiteSchema {
    /// The first migration in the database at `path` that this build does not know, if any:
    /// the database was written by a newer pythia-chat. Read through a read-only connection,
    /// before anything opens the file for writing, so that such a database is never modified.
    static func unknownMigration(inDatabaseAt path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        let known = Set(migrator.migrations)
        return try queue.read { db in
            // Sorted, so that the message names the same one each time.
            try migrator.appliedIdentifiers(db).sorted().first { !known.contains($0) }
        }
    }
}
