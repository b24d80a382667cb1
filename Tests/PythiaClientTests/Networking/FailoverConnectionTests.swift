import Foundation
import PythiaClient
import PythiaTestSupport
import Testing

/// ``RealtimeConnection`` over a list of servers that refuse every connection, its backoff
/// on a clock the test moves: which server each attempt goes to, and that every attempt
/// but the first waits on the clock.
@Suite struct FailoverConnectionTests {
    @Test func refusedServersAreTriedInTurnAndEachRetryWaitsItsBackoff() async throws {
        // Ports nothing listens on: every attempt is refused at once.
        let first = try ServerEndpoint("http://127.0.0.1:\(try RestartablePort.reserve())")
        let second = try ServerEndpoint("http://127.0.0.1:\(try RestartablePort.reserve())")
        let clock = TestClock()
        var configuration = RealtimeConnection.Configuration()
        configuration.clock = clock
        configuration.policy = ReconnectPolicy(base: .milliseconds(500), cap: .seconds(30))
        let told = SharedValue<[ServerEndpoint]>([])
        let credentials = ConnectionCredentials(
            token: { "T" }, recover: { .fail(.unauthorized) },
            serverChanged: { server in told.update { $0.append(server) } })
        let connection = RealtimeConnection(
            servers: try ServerList(parsing: ["\(first)", "\(second)"]), credentials: credentials, configuration: configuration)
        let running = Task { await connection.run() }
        defer { running.cancel() }

        var server: ServerEndpoint?
        var tried: [ServerEndpoint?] = []
        var waits: [(delay: Duration, attempt: Int)] = []
        for await event in connection.events {
            switch event {
            case .server(let next): server = next
            case .state(.connecting): tried.append(server)
            case .state(.reconnecting(let delay, let attempt)):
                waits.append((delay, attempt))
                guard waits.count < 6 else { break }
                // The next attempt starts only once the clock has moved past the delay.
                if delay > .zero { await clock.untilSleeping() }
                #expect(tried.count == waits.count)
                clock.advance(by: delay)
            default: continue
            }
            if waits.count == 6 { break }
        }
        #expect(tried == [first, second, first, second, first, second])
        #expect(waits.map(\.attempt) == [1, 2, 3, 4, 5, 6])
        // Moving on within a round waits at most the first ceiling; each whole round, the
        // backoff's next ceiling (0.5 s, 1 s, 2 s).
        let ceilings: [Duration] = [.milliseconds(500), .milliseconds(500), .milliseconds(500), .seconds(1), .milliseconds(500), .seconds(2)]
        for (wait, ceiling) in zip(waits, ceilings) { #expect(wait.delay <= ceiling) }
        // The credentials (the REST client) moved with every change of server, before it was tried.
        #expect(told.current == [first, second, first, second, first, second, first])
    }
}
