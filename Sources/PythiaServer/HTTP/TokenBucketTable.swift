/// Token buckets by key (a user, an address), forgetting only buckets that are full again:
/// a full bucket is what a new key would get, so dropping it changes no answer, while an
/// emptied one must outlive any number of other keys.
struct TokenBucketTable<Key: Hashable & Sendable>: Sendable {
    private let limit: RateLimit
    private let trackedLimit: Int
    private var buckets: [Key: TokenBucket] = [:]
    /// The size at which the next sweep runs: twice what a sweep left, so that sweeps stay
    /// rare when many buckets are busy at once.
    private var sweepAt: Int

    /// A table that sweeps once it tracks `trackedLimit` keys.
    init(limit: RateLimit, trackedLimit: Int) {
        self.limit = limit
        self.trackedLimit = max(1, trackedLimit)
        self.sweepAt = self.trackedLimit
    }

    /// How many keys are tracked.
    var count: Int { buckets.count }

    /// Takes one token from `key`'s bucket; when there is none, how long until there will be.
    mutating func take(_ key: Key, now: ContinuousClock.Instant) -> Duration? {
        if buckets[key] == nil, buckets.count >= sweepAt {
            buckets = buckets.filter { !$0.value.isFull(at: now) }
            sweepAt = max(trackedLimit, buckets.count * 2)
        }
        return buckets[key, default: TokenBucket(limit, now: now)].take(now: now)
    }
}
