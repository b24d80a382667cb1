/// A token bucket: refills at ``RateLimit/perSecond`` up to ``RateLimit/burst``.
struct TokenBucket: Sendable {
    private let limit: RateLimit
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    init(_ limit: RateLimit, now: ContinuousClock.Instant = .now) {
        self.limit = limit
        self.tokens = limit.burst
        self.updated = now
    }

    /// Takes one token; when there is none, returns how long until there will be one.
    mutating func take(now: ContinuousClock.Instant = .now) -> Duration? {
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(limit.burst, tokens + seconds * limit.perSecond)
        updated = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return .seconds((1 - tokens) / limit.perSecond)
    }

    /// Whether the bucket will have refilled completely by `now`: it limits nothing then.
    func isFull(at now: ContinuousClock.Instant) -> Bool {
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return tokens + seconds * limit.perSecond >= limit.burst
    }
}
