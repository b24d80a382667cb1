import Foundation
import PythiaClient
import PythiaProtocol
import PythiaServer
import PythiaTestSupport
import Testing

/// The engine given two servers over one database (as two processes of one deployment
/// are): when the one in use stops, it moves to the other, and the history it missed
/// comes from the gap fill. Without a shared broker a live event reaches only the
/// clients of the server it was posted on, so nothing here relies on live fan-out
/// across the two.
@Suite(.serialized) struct FailoverLiveTests {
    private func general(_ session: Session) async -> ChannelState? {
        await session.state.channel(named: "general")
    }

    @Test func whenTheFirstServerStopsTheSessionMovesToTheSecondAndMissesNothing() async throws {
        try await LiveServer.start().whileRunning { live in
            // The second server: the same database file and JWT secret, on a port of its own.
            try await live.withOtherInstance { secondEndpoint in
                let (alice, bob, channel) = try await live.aliceAndBobInGeneral()
                let before = try await live.api(bob).postMessage(channelId: channel.id, content: "before", clientId: nil)

                // The reconnect backoff and the outbox's waits run on clocks the test moves.
                let backoffClock = TestClock()
                let outboxClock = TestClock()
                var configuration = Session.Configuration()
                configuration.connection.clock = backoffClock
                configuration.connection.policy = ReconnectPolicy(base: .milliseconds(500), cap: .seconds(30))
                configuration.clock = outboxClock
                let servers = try ServerList(parsing: ["\(live.endpoint),\(secondEndpoint)"])
                let session = Session(servers: servers, token: alice.accessToken, configuration: configuration)
                await session.start()
                try await eventually("alice connected to the first server with the history") {
                    let state = await session.state
                    return state.connection == .connected && state.serverInUse == live.endpoint
                        && state.channel(named: "general")?.messages.map(\.id) == [before.id]
                }

                await live.stop()
                // Bob posts on the second server while alice is connected to neither…
                let bobAPI = APIClient(endpoint: secondEndpoint, token: bob.accessToken)
                var missed: [String] = []
                for index in 1...3 {
                    missed.append(try await bobAPI.postMessage(channelId: channel.id, content: "missed \(index)", clientId: nil).id)
                }
                // …and alice types while the server she was on is gone.
                let clientId = try await session.send("alice while moving", to: channel.id)

                // The first retry goes to the second server, after no more than the first backoff ceiling.
                try await eventually("alice waits to try the second server") {
                    let state = await session.state
                    guard case .reconnecting(let delay, attempt: 1) = state.connection else { return false }
                    return delay <= .milliseconds(500) && state.serverInUse == secondEndpoint
                }
                guard case .reconnecting(let delay, _) = await session.state.connection else { return }
                await backoffClock.untilSleeping()
                backoffClock.advance(by: delay)
                try await eventually("alice connected to the second server") {
                    let state = await session.state
                    return state.connection == .connected && state.serverInUse == secondEndpoint
                }

                try await eventually("every message once, in the servers' order, alice's delivered") {
                    // A POST that failed on the stopped server waits on the outbox clock: each look fires the wait.
                    outboxClock.advance(by: configuration.outboxMaxRetryDelay)
                    let state = await general(session)
                    return state?.outbox.isEmpty == true && state?.messages.count == 5
                }
                let history = try await bobAPI.messages(channelId: channel.id)
                #expect(history.map(\.content) == ["before", "missed 1", "missed 2", "missed 3", "alice while moving"])
                #expect(history.filter { $0.clientId == clientId }.count == 1)
                #expect(await general(session)?.messages.map(\.id) == history.map(\.id))
                #expect(history.map(\.id).starts(with: [before.id] + missed))
                // Live again, on the second server.
                let after = try await bobAPI.postMessage(channelId: channel.id, content: "after", clientId: nil)
                try await eventually("bob's next message arrives live") {
                    await general(session)?.messages.last?.id == after.id
                }
                await session.stop()
            }
        }
    }

    /// A 503 says the server in use cannot serve (its database is gone, say) even while its
    /// WebSocket stays up: the engine moves on, and the outbox's retry goes to the next one.
    @Test func aPostAnswered503MovesTheSessionToTheNextServer() async throws {
        try await ScriptedServer.start().whileRunning { first in
            try await ScriptedServer.start().whileRunning { second in
                let outboxClock = TestClock()
                var configuration = Session.Configuration()
                configuration.clock = outboxClock
                configuration.connection.policy = ReconnectPolicy(base: .milliseconds(100), cap: .seconds(1))
                let session = Session(
                    servers: try ServerList(parsing: ["\(first.endpoint)", "\(second.endpoint)"]), token: ScriptedServer.alice.token,
                    configuration: configuration)
                await session.start()
                try await eventually("connected to the first server") {
                    let state = await session.state
                    return state.connection == .connected && state.serverInUse == first.endpoint && state.channel(named: "lobby") != nil
                }

                first.failNextPosts([503])
                try await session.send("past the unavailable one", to: ScriptedServer.lobbyId)
                try await eventually("connected to the second server") {
                    let state = await session.state
                    return state.connection == .connected && state.serverInUse == second.endpoint
                }
                try await eventually("delivered") {
                    // The retry after the 503 waits on the outbox clock: each look fires the wait.
                    outboxClock.advance(by: configuration.outboxMaxRetryDelay)
                    return await session.state.channel(named: "lobby")?.outbox.isEmpty == true
                }
                #expect(first.postAttempts == 1)
                #expect(first.storedContents.isEmpty)
                #expect(second.storedContents == ["past the unavailable one"])
                await session.stop()
            }
        }
    }

    /// Asking to reconnect (the chat UI's /reconnect) starts afresh where it is: it is not
    /// a sign that the server is down.
    @Test func reconnectingOnRequestStaysOnTheServerInUse() async throws {
        try await ScriptedServer.start().whileRunning { first in
            try await ScriptedServer.start().whileRunning { second in
                let session = Session(
                    servers: try ServerList(parsing: ["\(first.endpoint)", "\(second.endpoint)"]), token: ScriptedServer.alice.token)
                await session.start()
                try await eventually("connected to the first server") { await session.state.connection == .connected }
                await session.reconnect()
                try await eventually("connected to the first server again") {
                    await session.state.connection == .connected && first.handshakes == 2
                }
                #expect(await session.state.serverInUse == first.endpoint)
                #expect(second.handshakes == 0)
                await session.stop()
            }
        }
    }

    /// `send`'s work: a first server that accepts connections and never answers holds one
    /// request for at most its attempt timeout, and the message goes to the next, once.
    @Test func aPostMovesPastAServerThatNeverAnswers() async throws {
        try await LiveServer.start().whileRunning { live in
            let hung = try SilentListener()
            defer { hung.close() }
            let (alice, _, channel) = try await live.aliceAndBobInGeneral()
            let post = HeadlessPost(
                servers: try ServerList(parsing: ["http://127.0.0.1:\(hung.port)", "\(live.endpoint)"]), token: alice.accessToken,
                // 2 s an attempt: the live server's own answer once took longer than 300 ms
                // under a CPU hog, and every attempt on it timed out.
                timeout: .seconds(20), attemptTimeout: .seconds(2))
            let started = ContinuousClock.now
            let message = try await post.post("past the hung one", channel: "#general")
            // A bound, not a measurement: the first attempt held the whole timeout before.
            #expect(ContinuousClock.now - started < .seconds(19))
            #expect(try await live.api(alice).messages(channelId: channel.id).map(\.id) == [message.id])
        }
    }
}
