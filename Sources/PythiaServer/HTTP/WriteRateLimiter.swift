import Synchronization

/// REST write limits, one bucket per user, shared by every request handler.
final class WriteRateLimiter: Sendable {
    private let limit: RateLimit
    private let buckets = Mutex<[String: TokenBucket]>([:])

    init(limit: RateLimit) { self.limit = limit }

    /// Throws `429` with the seconds to wait when `userId` writes too fast.
    func check(userId: String) throws(APIError) {
        let wait: Duration? = buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll(keepingCapacity: true) }
            return buckets[userId, default: TokenBucket(limit)].take()
        }
        if let wait { throw APIError.rateLimited(after: wait) }
    }
}
