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
        var addresses: TokenBucketTable<String>
        var failures: [Pair: Failures] = [:]
    }

    private let failureLimit: Int
    private let retryInterval: Duration
    /// Past this many addresses or pairs, the ones that no longer limit anything are forgotten.
    private let trackedLimit: Int
    private let state: Mutex<State>

    init(rate: RateLimit, failureLimit: Int, retryInterval: Duration, trackedLimit: Int = 100_000) {
        self.failureLimit = failureLimit
        self.retryInterval = retryInterval
        self.trackedLimit = trackedLimit
        self.state = Mutex(State(addresses: TokenBucketTable(limit: rate, trackedLimit: trackedLimit)))
    }

    /// Takes one attempt from `address`'s bucket; `429` when it is empty.
    func checkAttempt(from address: String, now: ContinuousClock.Instant = .now) throws(RESTError) {
        if let wait = state.withLock({ $0.addresses.take(address, now: now) }) { throw RESTError.rateLimited(after: wait) }
    }

    /// Admits a password check for `username` from `address`; `429` while the pair is locked
    /// and its one try of the interval is used. An admitted attempt counts as a failure until
    /// ``loginSucceeded(username:from:)`` clears the pair, so that attempts running at once
    /// cannot pass the limit together.
    func admitLogin(username: String, from address: String, now: ContinuousClock.Instant = .now) throws(RESTError) {
        let pair = Pair(username: username.lowercased(), address: address)
        let (limit, interval, trackedLimit) = (failureLimit, retryInterval, trackedLimit)
        let wait: Duration? = state.withLock { state in
            if state.failures.count > trackedLimit {
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
        if let wait { throw RESTError.rateLimited(after: wait) }
    }

    /// A success clears the pair's failures.
    func loginSucceeded(username: String, from address: String) {
        let pair = Pair(username: username.lowercased(), address: address)
        _ = state.withLock { $0.failures.removeValue(forKey: pair) }
    }
}
