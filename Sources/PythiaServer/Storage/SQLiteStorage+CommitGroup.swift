import GRDB

extension SQLiteStorage {
    /// The one key of SQLite's changes: the database has one writer, and every change shares its commits.
    private static let writer = "writer"

    /// Runs `work` in the next shared write transaction (see ``CommitGroup``), in a savepoint
    /// of its own, so that one that fails (its channel deleted meanwhile) rolls back alone;
    /// once that transaction has committed, publishes what `work` announced through `broker`,
    /// after the announcements of the changes stored before it, and returns what `work` answered.
    ///
    /// The announcements go to the broker from the commit, in one pass, and the next commit
    /// starts only after it: callers answered together race, so a watcher would otherwise hear
    /// a channel's changes in whatever order their requests went on, not in history order.
    func commitTogether<Answer: Sendable>(
        announcingThrough broker: any Broker,
        _ work: @escaping @Sendable (Database) throws -> (answer: Answer, announcements: [Announcement])
    ) async throws -> Answer {
        try await posts.commit(under: Self.writer, by: { [pool] batch in await Self.commit(batch, in: pool) }) { continuation in
            SQLiteChange(
                work: { db in
                    let (answer, announcements) = try work(db)
                    return SQLiteChange.Stored(announcements: announcements, answer: { continuation.resume(returning: answer) })
                },
                broker: broker,
                fail: { continuation.resume(throwing: $0) })
        }
    }

    /// Stores `batch` in one transaction, publishes what it announced, then answers each
    /// change; a transaction that fails fails them all, and none was announced.
    private static func commit(_ batch: [SQLiteChange], in pool: DatabasePool) async {
        let works = batch.map(\.work)
        let outcomes: [Result<SQLiteChange.Stored, any Error>]
        do {
            outcomes = try await pool.write { db in
                works.map { work in
                    Result<SQLiteChange.Stored, any Error> {
                        var stored: SQLiteChange.Stored?
                        try db.inSavepoint {
                            stored = try work(db)
                            return .commit
                        }
                        guard let stored else { throw StorageError.notFound("message") }
                        return stored
                    }
                }
            }
        } catch {
            for change in batch { change.fail(error) }
            return
        }
        for (change, outcome) in zip(batch, outcomes) {
            guard case .success(let stored) = outcome else { continue }
            for announcement in stored.announcements {
                await change.broker.publish(announcement.frame, to: announcement.audience)
            }
        }
        for (change, outcome) in zip(batch, outcomes) {
            switch outcome {
            case .success(let stored): stored.answer()
            case .failure(let error): change.fail(error)
            }
        }
    }
}
