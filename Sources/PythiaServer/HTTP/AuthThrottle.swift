import Synchronization

/// Login and register limits, shared by every request handler (API.md, rate limits).
///
/// Every attempt takes a token from its client address's bucket. Logins are also counted per
/// username *and* address: after ``ServerConfiguration/loginFailureLimit`` failures that pair
/// gets one try per ``ServerConfiguration/loginRetryInterval`` until a success. Failures from
/// one address therefore never lock the account for anyone at another.
final class AuthThrottle: Sendable {
    private struct Pair: Hashable {
        let username: String
        let address: String
    }

    private struct Failures {
        var count: Int
        var lastTry: ContinuousClock.Instant
    }

    private struct State {
        var addresses: [String: TokenBucket] = [:]
        var failures: [Pair: Failures] = [:]
    }

    /// Past this many addresses or pairs, the ones that no longer limit anything are forgotten.
    private static let trackedLimit = 100_000

    private let rate: RateLimit
    private let failureLimit: Int
    private let retryInterval: Duration
    private let state = Mutex(State())

    init(rate: RateLimit, failureLimit: Int, retryInterval: Duration) {
        self.rate = rate
        self.failureLimit = failureLimit
        self.retryInterval = retryInterval
    }

    /// Takes one attempt from `address`'s bucket; `429` when it is empty.
    func checkAttempt(from address: String, now: ContinuousClock.Instant = .now) throws(APIError) {
        let wait: Duration? = state.withLock { state in
            if state.addresses.count > Self.trackedLimit { state.addresses.removeAll(keepingCapacity: true) }
            return state.addresses[address, default: TokenBucket(rate, now: now)].take(now: now)
        }
        if let wait { throw APIError.rateLimited(after: wait) }
    }

    /// Admits a password check for `username` from `address`; `429` while the pair is locked
    /// and its one try of the interval is used. An admitted attempt counts as a failure until
    /// ``loginSucceeded(username:from:)`` clears the pair, so that attempts running at once
    /// cannot pass the limit together.
    func admitLogin(username: String, from address: String, now: ContinuousClock.Instant = .now) throws(APIError) {
        let pair = Pair(username: username.lowercased(), address: address)
        let (limit, interval) = (failureLimit, retryInterval)
        let wait: Duration? = state.withLock { state in
            if state.failures.count > Self.trackedLimit {
                // Pairs whose next try is due already limit nothing until their next failure.
                state.failures = state.failures.filter { $0.value.count >= limit && now < $0.value.lastTry + interval }
            }
            var failures = state.failures[pair, default: Failures(count: 0, lastTry: now)]
            if failures.count >= limit, now < failures.lastTry + interval {
                return failures.lastTry + interval - now
            }
            failures.count += 1
            failures.lastTry = now
            state.failures[pair] = failures
            return nil
        }
        if let wait { throw APIError.rateLimited(after: wait) }
    }

    /// A success clears the pair's failures.
    func loginSucceeded(username: String, from address: String) {
        let pair = Pair(username: username.lowercased(), address: address)
        _ = state.withLock { $0.failures.removeValue(forKey: pair) }
    }
}
