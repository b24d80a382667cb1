import Synchronization

/// REST write limits, one bucket per user, shared by every request handler.
final class WriteRateLimiter: Sendable {
    private let buckets: Mutex<TokenBucketTable<String>>

    /// A limiter that starts forgetting idle users once it tracks `trackedLimit` of them.
    init(limit: RateLimit, trackedLimit: Int = 100_000) {
        buckets = Mutex(TokenBucketTable(limit: limit, trackedLimit: trackedLimit))
    }

    /// How many users are tracked.
    var trackedCount: Int { buckets.withLock { $0.count } }

    /// Throws `429` with the seconds to wait when `userId` writes too fast.
    func check(userId: String, now: ContinuousClock.Instant = .now) throws(RESTError) {
        if let wait = buckets.withLock({ $0.take(userId, now: now) }) { throw RESTError.rateLimited(after: wait) }
    }
}
