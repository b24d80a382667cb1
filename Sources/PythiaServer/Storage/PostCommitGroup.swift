import GRDB
import PythiaProtocol

/// Commits concurrent posts together: one write transaction, one `fsync`, every poster
/// answered after it.
///
/// A post that arrives while no commit is running starts one at once, so a lone post waits
/// for nothing; posts that arrive while a commit runs are the next commit. Each post runs in
/// a savepoint of its own, so one that fails (its channel deleted meanwhile) rolls back alone;
/// a commit that fails fails them all, and none was acknowledged. Durability is the same as
/// a transaction per post: nobody hears of a post before the commit that holds it.
actor PostCommitGroup {
    /// What storing one post gave: the message, whether it is new (not a retry of a
    /// `client_id` already used), and the members it mentions.
    typealias PostOutcome = (message: Message, created: Bool, mentioned: [String])
    /// One post's work inside the shared transaction.
    typealias Work = @Sendable (Database) throws -> PostOutcome

    private struct Waiting {
        let work: Work
        let continuation: CheckedContinuation<PostOutcome, any Error>
    }

    private let pool: DatabasePool
    private var waiting: [Waiting] = []
    private var committing = false
    /// How many transactions have been committed (or attempted): tests see the grouping.
    private(set) var commits = 0

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// How many posts wait for the next commit.
    var waitingCount: Int { waiting.count }

    /// Runs `work` in the next shared transaction and returns once that has committed.
    func post(_ work: @escaping Work) async throws -> PostOutcome {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(work: work, continuation: continuation))
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
            do {
                let outcomes = try await pool.write { db in
                    works.map { work in
                        Result<PostOutcome, any Error> {
                            var outcome: PostOutcome?
                            try db.inSavepoint {
                                outcome = try work(db)
                                return .commit
                            }
                            guard let outcome else { throw StorageError.notFound("message") }
                            return outcome
                        }
                    }
                }
                for (waiting, outcome) in zip(batch, outcomes) { waiting.continuation.resume(with: outcome) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
        committing = false
    }
}
