import Foundation
import PythiaClient
import PythiaProtocol
import PythiaServer
import PythiaTestSupport
import Testing

/// The engine against the real server when its token is logged out.
@Suite struct LogoutLiveTests {
    /// The server closes the socket 1008 `logged out`: the engine checks the token before any
    /// retry, finds it refused, and stops with "token rejected" (`failed(.unauthorized)`),
    /// without a reconnect attempt or backoff first.
    @Test(.timeLimit(.minutes(1)))
    func aLoggedOutConnectionStopsAtOnceWithTheTokenRejected() async throws {
        try await LiveServer.start().whileRunning { live in
            let alice = try await live.running.provisionLocalAccount(username: "alice")
            let keeper = TokenKeeper(api: APIClient(endpoint: live.endpoint, token: nil), token: alice.accessToken)
            let connection = RealtimeConnection(endpoint: live.endpoint, credentials: keeper.credentials)
            let run = Task { await connection.run() }
            var states: [ConnectionState] = []
            for await event in connection.events {
                guard case .state(let state) = event else { continue }
                states.append(state)
                if state == .connected { try await live.api(alice).logout() }
                if case .failed = state { break }
            }
            run.cancel()
            await run.value
            #expect(states.last == .failed(.unauthorized), "\(states)")
            #expect(!states.contains { if case .reconnecting = $0 { true } else { false } }, "\(states)")
            #expect(states.filter { $0 == .connecting }.count == 1, "\(states)")
        }
    }

    /// `logout(everyToken:)` ends the other devices' tokens too; a single logout only its own.
    @Test func logoutOfOneTokenLeavesTheOthersAndEveryTokenEndsThemAll() async throws {
        try await LiveServer.start().whileRunning { live in
            let phone = try await live.running.provisionLocalAccount(username: "alice")
            let laptop = try await live.running.provisionLocalAccount(username: "alice")
            let tablet = try await live.running.provisionLocalAccount(username: "alice")
            try await live.api(phone).logout()
            await #expect(throws: APIError.self) { _ = try await live.api(phone).me() }
            #expect(try await live.api(laptop).me().username == "alice")
            try await live.api(laptop).logout(everyToken: true)
            for token in [laptop, tablet] {
                let error = await #expect(throws: APIError.self) { _ = try await live.api(token).me() }
                #expect(error?.kind == .unauthorized)
            }
        }
    }
}
