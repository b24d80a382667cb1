/// When to try the WebSocket again: exponential backoff with full jitter.
///
/// `delay = random(0, min(cap, base · 2^attempt))`. The attempt counter grows with each
/// lost connection and goes back to zero only once a connection has been established
/// and stayed up for `stableAfter`, so a server that accepts and then drops at once is
/// not hammered. Pure: time and randomness come in as arguments.
public struct ReconnectPolicy: Sendable {
    /// The first ceiling.
    public var base: Duration
    /// The largest delay.
    public var cap: Duration
    /// How long a connection must stay up to reset the counter.
    public var stableAfter: Duration
    /// How many attempts have failed since the last stable connection.
    public private(set) var attempt = 0

    /// Creates a policy; the defaults are the contract's (0.5 s, 30 s, 10 s).
    public init(base: Duration = .milliseconds(500), cap: Duration = .seconds(30), stableAfter: Duration = .seconds(10)) {
        self.base = base
        self.cap = cap
        self.stableAfter = stableAfter
    }

    /// The ceiling of the delay for `attempt`: `min(cap, base · 2^attempt)`.
    public func ceiling(forAttempt attempt: Int) -> Duration {
        // 2^attempt overflows long after the cap is reached.
        guard attempt < 30 else { return cap }
        return min(cap, base * (1 << attempt))
    }

    /// A connection ended (or failed to open) after being up for `uptime` — `nil` when
    /// `connection_established` never came. Returns how long to wait and the attempt
    /// number (from 1) that follows.
    public mutating func connectionLost(
        uptime: Duration?, using generator: inout some RandomNumberGenerator
    ) -> (delay: Duration, attempt: Int) {
        if let uptime, uptime >= stableAfter { attempt = 0 }
        let delay = Self.jittered(upTo: ceiling(forAttempt: attempt), using: &generator)
        attempt += 1
        return (delay, attempt)
    }

    /// A delay drawn evenly from `0...ceiling` (full jitter).
    public static func jittered(upTo ceiling: Duration, using generator: inout some RandomNumberGenerator) -> Duration {
        let nanoseconds = Self.nanoseconds(ceiling)
        return .nanoseconds(nanoseconds > 0 ? Int64.random(in: 0...nanoseconds, using: &generator) : 0)
    }

    /// Starts over: the next loss waits at most `base`.
    public mutating func reset() { attempt = 0 }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
