@testable import PythiaServer
import Testing

/// Rate limiters that track many keys forget only the idle ones: an emptied bucket stays
/// empty however many other users or addresses come along.
@Suite struct RateLimiterEvictionTests {
    private static let slow = RateLimit(perSecond: 0.01, burst: 2)

    @Test func anEmptiedWriteBucketSurvivesAFloodOfOtherUsers() throws {
        let limiter = WriteRateLimiter(limit: Self.slow, trackedLimit: 10)
        let start = ContinuousClock.now
        try limiter.check(userId: "eager", now: start)
        try limiter.check(userId: "eager", now: start)
        #expect(throws: RESTError.self) { try limiter.check(userId: "eager", now: start) }
        for index in 0..<25 { try limiter.check(userId: "user-\(index)", now: start) }
        #expect(throws: RESTError.self) { try limiter.check(userId: "eager", now: start) }
    }

    @Test func idleWriteBucketsAreForgotten() throws {
        let limiter = WriteRateLimiter(limit: RateLimit(perSecond: 1, burst: 2), trackedLimit: 10)
        let start = ContinuousClock.now
        for index in 0..<10 { try limiter.check(userId: "user-\(index)", now: start) }
        #expect(limiter.trackedCount == 10)
        // Two seconds on, every bucket is full again: the next new user sweeps them all.
        try limiter.check(userId: "late", now: start + .seconds(2))
        #expect(limiter.trackedCount == 1)
    }

    @Test func anEmptiedAddressBucketSurvivesAFloodOfOtherAddresses() throws {
        let throttle = AuthThrottle(rate: Self.slow, failureLimit: 5, retryInterval: .seconds(60), trackedLimit: 10)
        let start = ContinuousClock.now
        try throttle.checkAttempt(from: "10.0.0.1", now: start)
        try throttle.checkAttempt(from: "10.0.0.1", now: start)
        #expect(throws: RESTError.self) { try throttle.checkAttempt(from: "10.0.0.1", now: start) }
        for index in 0..<25 { try throttle.checkAttempt(from: "10.0.1.\(index)", now: start) }
        #expect(throws: RESTError.self) { try throttle.checkAttempt(from: "10.0.0.1", now: start) }
    }
}
