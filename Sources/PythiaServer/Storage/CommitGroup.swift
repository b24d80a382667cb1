/// Commits concurrent changes together: the changes that arrive under one key while that
/// key's commit runs are the next commit, one transaction for all of them, and each caller is
/// answered once that transaction has committed.
///
/// A key is what the changes are serialised on anyway: SQLite's one writer, a PostgreSQL
/// channel's row lock. A change that arrives while no commit of its key runs starts one at
/// once, so a lone one waits for nothing. Durability is the same as a transaction per change:
/// nobody hears of a change before the commit that holds it.
///
/// What a commit does is the storage's (`commitBatch`): it stores the batch, in arrival order,
/// and answers every change of it exactly once, through the continuation each change holds.
/// A key's next commit starts only after it has returned, so what it publishes before it
/// answers goes out in the order the changes were stored.
actor CommitGroup<Key: Hashable & Sendable, Change: Sendable> {
    private var waiting: [Key: [Change]] = [:]
    private var committing: Set<Key> = []
    /// How many batches have been committed (or attempted): tests see the grouping.
    private(set) var commits = 0

    /// How many changes wait for the next commit of their key.
    var waitingCount: Int { waiting.values.reduce(0) { $0 + $1.count } }

    /// Queues the change `makeChange` builds around its caller's continuation for the next
    /// commit under `key`, and returns what that commit answers it. The commit that starts a
    /// key's run of commits is made with the `commitBatch` of the call that starts it: every
    /// caller under one key passes the same.
    func commit<Answer: Sendable>(
        under key: Key, by commitBatch: @escaping @Sendable (_ batch: [Change]) async -> Void,
        _ makeChange: (CheckedContinuation<Answer, any Error>) -> Change
    ) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            waiting[key, default: []].append(makeChange(continuation))
            if committing.insert(key).inserted {
                Task { await commitWhileWaiting(under: key, by: commitBatch) }
            }
        }
    }

    private func commitWhileWaiting(under key: Key, by commitBatch: @Sendable ([Change]) async -> Void) async {
        while let batch = waiting.removeValue(forKey: key) {
            commits += 1
            await commitBatch(batch)
        }
        committing.remove(key)
    }
}
