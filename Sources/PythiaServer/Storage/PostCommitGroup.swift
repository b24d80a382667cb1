import GRDB
import PythiaProtocol

/// Commits concurrent changes that announce themselves (posts, edits, deletions, reactions)
/// together: one write transaction, one `fsync`, then their announcements published in the
/// order the changes were stored, then every caller answered.
///
/// A change that arrives while no commit is running starts one at once, so a lone one waits
/// for nothing; changes that arrive while a commit runs are the next commit. Each runs in a
/// savepoint of its own, so one that fails (its channel deleted meanwhile) rolls back alone;
/// a commit that fails fails them all, and none was announced or acknowledged. Durability is
/// the same as a transaction per change: nobody hears of a change before the commit that holds it.
///
/// The announcements go to the broker from here, in one pass per commit, and the next commit
/// starts only after it: callers answered together race, so a watcher would otherwise hear a
/// channel's changes in whatever order their requests went on, not in history order.
actor PostCommitGroup {
    /// What a change stored: its announcements, and how to answer its caller.
    private struct Stored: Sendable {
        let announcements: [Announcement]
        let answer: @Sendable () -> Void
    }

    private struct Waiting {
        /// The change, run in its savepoint of the shared transaction.
        let work: @Sendable (Database) throws -> Stored
        /// Where its announcements go once committed.
        let broker: any Broker
        let fail: @Sendable (any Error) -> Void
    }

    private let pool: DatabasePool
    private var waiting: [Waiting] = []
    private var committing = false
    /// How many transactions have been committed (or attempted): tests see the grouping.
    private(set) var commits = 0

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// How many changes wait for the next commit.
    var waitingCount: Int { waiting.count }

    /// Runs `work` in the next shared transaction; once that has committed, publishes what
    /// `work` announced through `broker`, after the announcements of the changes stored before
    /// it, and returns what `work` answered.
    func commit<Answer: Sendable>(
        announcingThrough broker: any Broker,
        _ work: @escaping @Sendable (Database) throws -> (answer: Answer, announcements: [Announcement])
    ) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(
                work: { db in
                    let (answer, announcements) = try work(db)
                    return Stored(announcements: announcements, answer: { continuation.resume(returning: answer) })
                },
                broker: broker,
                fail: { continuation.resume(throwing: $0) }))
            if !committing {
                committing = true
                Task { await commitWhileWaiting() }
            }
        }
    }

    private func commitWhileWaiting() async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting = []
            commits += 1
            let works = batch.map(\.work)
            let outcomes: [Result<Stored, any Error>]
            do {
                outcomes = try await pool.write { db in
                    works.map { work in
                        Result<Stored, any Error> {
                            var stored: Stored?
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
                for waiting in batch { waiting.fail(error) }
                continue
            }
            for (waiting, outcome) in zip(batch, outcomes) {
                guard case .success(let stored) = outcome else { continue }
                for announcement in stored.announcements {
                    await waiting.broker.publish(announcement.frame, to: announcement.audience)
                }
            }
            for (waiting, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .success(let stored): stored.answer()
                case .failure(let error): waiting.fail(error)
                }
            }
        }
        committing = false
    }
}
