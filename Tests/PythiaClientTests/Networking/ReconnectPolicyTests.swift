import PythiaClient
import PythiaTestSupport
import Testing

@Suite struct ReconnectPolicyTests {
    @Test func ceilingsDoubleFromHalfASecondUpToThirtySeconds() {
        let policy = ReconnectPolicy()
        let ceilings = (0..<10).map { policy.ceiling(forAttempt: $0) }
        #expect(ceilings == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30), .seconds(30), .seconds(30)])
        #expect(policy.ceiling(forAttempt: 5000) == .seconds(30))
    }

    @Test func everyDelayStaysWithinItsCeilingOverManySeeds() {
        var maxima = [Duration](repeating: .zero, count: 40)
        for seed in 0..<500 {
            var generator = SeededGenerator(state: UInt64(seed))
            var policy = ReconnectPolicy()
            for index in 0..<40 {
                let (delay, attempt) = policy.connectionLost(uptime: nil, using: &generator)
                #expect(attempt == index + 1)
                #expect(delay >= .zero)
                #expect(delay <= policy.ceiling(forAttempt: index))
                maxima[index] = max(maxima[index], delay)
            }
        }
        // Full jitter spreads over the whole range: over 500 seeds each ceiling is nearly reached.
        for index in 0..<40 {
            let ceiling = ReconnectPolicy().ceiling(forAttempt: index)
            #expect(maxima[index] > ceiling * 0.9, "attempt \(index) never came near its ceiling")
        }
    }

    @Test func theCounterResetsOnlyAfterTenSecondsUp() {
        var generator = SeededGenerator(state: 7)
        var policy = ReconnectPolicy()
        for _ in 0..<5 { _ = policy.connectionLost(uptime: nil, using: &generator) }
        #expect(policy.attempt == 5)
        // Established but dropped after 3 s: still backing off.
        #expect(policy.connectionLost(uptime: .seconds(3), using: &generator).attempt == 6)
        // Up for 10 s: starts over, the next delay is at most 0.5 s.
        let (delay, attempt) = policy.connectionLost(uptime: .seconds(10), using: &generator)
        #expect(attempt == 1)
        #expect(delay <= .milliseconds(500))
    }

    @Test func sameSeedSameSchedule() {
        func schedule(_ seed: UInt64) -> [Duration] {
            var generator = SeededGenerator(state: seed)
            var policy = ReconnectPolicy()
            return (0..<12).map { _ in policy.connectionLost(uptime: nil, using: &generator).delay }
        }
        #expect(schedule(42) == schedule(42))
        #expect(schedule(42) != schedule(43))
    }
}
