import Foundation
import PythiaClient
import PythiaTestSupport
import Testing

/// Whatever number a server or a token holds, the client neither traps nor waits for ever.
@Suite struct ExtremeNumberTests {
    @Test(arguments: ["inf", "Infinity", "nan", "1e300", "-1e300", "99999999999999999999", "-5", "soon"])
    func anyRetryAfterIsAWaitOfAtMostAnHour(_ value: String) async throws {
        try await RetryAfterServer.start(retryAfter: value).whileRunning { server in
            let api = APIClient(endpoint: try ServerEndpoint("http://127.0.0.1:\(server.port)"), token: nil)
            do throws(APIError) {
                _ = try await api.health()
                Issue.record("a 429 was taken for success")
            } catch {
                #expect(error.kind == .rateLimited)
                if let wait = error.retryAfter { #expect(wait >= .zero && wait <= .seconds(3600), "\(value): \(wait)") }
            }
            // A wait past the deadline gives up at once rather than sleeping through it.
            let start = ContinuousClock.now
            await #expect(throws: APIError.self) {
                try await APIClient.retrying(until: .now + .milliseconds(200)) { () throws(APIError) in try await api.health() }
            }
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test func aTokenExpiringInTheFarFutureIsKeptFreshWithoutTrapping() async throws {
        let token = AccessTokenTests.jwt(payload: #"{"sub":"u1","username":"alice","iat":1700000000,"exp":1e17}"#)
        #expect(AccessToken(token).expiresAt == Date(timeIntervalSince1970: 1e17))
        let clock = TestClock()
        let keeper = TokenKeeper(
            api: APIClient(endpoint: try ServerEndpoint("http://127.0.0.1:9"), token: nil), token: token, clock: clock)
        let keeping = Task { await keeper.keepFresh() }
        // The wait is computed without trapping, then slept an hour at a time.
        for _ in 1...3 {
            try await eventually("the keeper asleep") { clock.sleeperCount == 1 }
            clock.advance(by: .seconds(3600))
        }
        try await eventually("the keeper asleep again") { clock.sleeperCount == 1 }
        keeping.cancel()
        await keeping.value
        #expect(await keeper.token.value == token)
    }

    @Test func anExpiryThatIsNoFiniteNumberMakesAnOpaqueToken() {
        for exp in ["1e400", "-1e400"] {
            let token = AccessToken(AccessTokenTests.jwt(payload: #"{"sub":"u1","exp":\#(exp)}"#))
            if let expiresAt = token.expiresAt { #expect(expiresAt.timeIntervalSince1970.isFinite) }
            _ = token.refreshDate(now: Date())
        }
    }
}
