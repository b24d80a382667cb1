import PythiaClient
import PythiaTestSupport
import Testing

@Suite struct FailoverPolicyTests {
    @Test func withOneServerItIsTheReconnectPolicy() {
        let uptimes: [Duration?] = [nil, nil, .seconds(3), nil, .seconds(12), nil, nil, nil, .seconds(10), nil]
        var policyRandom = SeededGenerator(state: 11)
        var failoverRandom = SeededGenerator(state: 11)
        var policy = ReconnectPolicy()
        var failover = FailoverPolicy(serverCount: 1)
        for uptime in uptimes {
            let expected = policy.connectionLost(uptime: uptime, using: &policyRandom)
            let got = failover.connectionLost(uptime: uptime, using: &failoverRandom)
            #expect(got.server == 0)
            #expect(got.delay == expected.delay)
            #expect(got.attempt == expected.attempt)
        }
    }

    @Test func everyServerIsTriedOnceBeforeARoundBacksOff() {
        for seed in 0..<200 {
            var random = SeededGenerator(state: UInt64(seed))
            var failover = FailoverPolicy(serverCount: 3)
            for round in 0..<8 {
                // The next two servers follow within the first ceiling…
                for next in [1, 2] {
                    let (server, delay, _) = failover.connectionLost(uptime: nil, using: &random)
                    #expect(server == next)
                    #expect(delay <= .milliseconds(500))
                }
                // …and only the whole round grows the backoff, back to the first server.
                let (server, delay, attempt) = failover.connectionLost(uptime: nil, using: &random)
                #expect(server == 0)
                #expect(delay <= ReconnectPolicy().ceiling(forAttempt: round))
                #expect(attempt == 3 * (round + 1))
                #expect(failover.policy.attempt == round + 1)
            }
        }
    }

    @Test func theBackoffAfterManyRoundsReachesItsCeilingWhileMovesWithinARoundStayShort() {
        var longestMove: Duration = .zero
        var longestRoundEnd: Duration = .zero
        for seed in 0..<300 {
            var random = SeededGenerator(state: UInt64(seed))
            var failover = FailoverPolicy(serverCount: 2)
            for _ in 0..<6 {
                longestMove = max(longestMove, failover.connectionLost(uptime: nil, using: &random).delay)
                longestRoundEnd = max(longestRoundEnd, failover.connectionLost(uptime: nil, using: &random).delay)
            }
        }
        #expect(longestMove <= .milliseconds(500))
        // The sixth round's ceiling is 16 s: full jitter comes near it over 300 seeds.
        #expect(longestRoundEnd > .seconds(14))
    }

    @Test func aStableConnectionStartsAFreshRoundFromTheServerItWasOn() {
        var random = SeededGenerator(state: 5)
        var failover = FailoverPolicy(serverCount: 3)
        // Servers 0, 1 and 2 fail: one round, backoff grown.
        for _ in 0..<3 { _ = failover.connectionLost(uptime: nil, using: &random) }
        #expect(failover.policy.attempt == 1)
        // Server 0 works for a while, then drops: server 1 is next, soon, as attempt 1.
        let (server, delay, attempt) = failover.connectionLost(uptime: .seconds(30), using: &random)
        #expect(server == 1)
        #expect(delay <= .milliseconds(500))
        #expect(attempt == 1)
        #expect(failover.policy.attempt == 0)
        // A connection that drops before it is stable ends nothing: the round goes on.
        #expect(failover.connectionLost(uptime: .seconds(2), using: &random).server == 2)
        #expect(failover.policy.attempt == 0)
        #expect(failover.connectionLost(uptime: nil, using: &random).server == 0)
        #expect(failover.policy.attempt == 1)
    }

    @Test func noServersCountsAsOne() {
        var random = SeededGenerator(state: 1)
        var failover = FailoverPolicy(serverCount: 0)
        #expect(failover.serverCount == 1)
        #expect(failover.connectionLost(uptime: nil, using: &random).server == 0)
    }
}
