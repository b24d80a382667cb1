import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTestSupport
import Synchronization
import Testing

/// The engine against servers that are not ours: only `websocket-api.md` holds there.
@Suite(.serialized) struct ForeignServerTests {
    @Test func theEngineFollowsAServerThatOnlySpeaksTheWebSocketDocument() async throws {
        try await ScriptedServer.start().whileRunning { server in
            await server.post("first, from before", as: ScriptedServer.bob)
            let session = await server.startedSession { $0.connection.policy = ReconnectPolicy(base: .milliseconds(100), cap: .milliseconds(400)) }
            try await eventually("connected with history, despite odd frames") {
                let state = await session.state
                return state.connection == .connected && state.channel(named: "lobby")?.messages.count == 1
            }
            var state = await session.state
            #expect(state.me?.username == "alice")
            #expect(state.isOnline(ScriptedServer.bob.id), "the frame with an extra field still applied")
            #expect(state.channel(named: "lobby")?.channel.isMember == true)

            // Live messages with whole-second timestamps and no reactions field.
            await server.post("live one", as: ScriptedServer.bob)
            try await eventually("the live message") { await session.state.channel(named: "lobby")?.messages.count == 2 }

            // Our own message: the echo and the POST answer make one entry.
            try await session.send("mine", to: ScriptedServer.lobbyId)
            try await eventually("ours delivered once") {
                let lobby = await session.state.channel(named: "lobby")
                return lobby?.outbox.isEmpty == true && lobby?.messages.count == 3
            }

            // The "restart": sockets dropped, handshakes refused (400) while messages keep coming.
            await server.setAcceptingSockets(false)
            try await eventually("the drop is seen") { await !session.state.connection.isConnected }
            for index in 1...3 { await server.post("missed \(index)", as: ScriptedServer.bob) }
            try await eventually("two handshakes refused") { server.refusedHandshakes >= 2 }
            if case .failed = await session.state.connection { Issue.record("a refused handshake with a good token must not be fatal") }
            await server.setAcceptingSockets(true)
            try await eventually("reconnected and caught up") {
                let state = await session.state
                return state.connection == .connected && state.channel(named: "lobby")?.messages.count == 6
            }
            state = await session.state
            #expect(state.channel(named: "lobby")?.messages.map(\.message.content) == ["first, from before", "live one", "mine", "missed 1", "missed 2", "missed 3"])
            #expect(server.storedContents.filter { $0 == "mine" }.count == 1)
            #expect(try await session.onlineUsers(in: ScriptedServer.lobbyId) == [ScriptedServer.alice.id])
            await session.stop()
        }
    }

    /// Each `/who` question has its own timeout: an earlier question's timeout does not fail
    /// a later one, which an answer to the channel still resolves.
    @Test func anOnlineUsersTimeoutBelongsToItsRequest() async throws {
        try await ScriptedServer.start().whileRunning { server in
            let clock = TestClock()
            let session = await server.startedSession { $0.clock = clock }
            try await eventually("connected") {
                let state = await session.state
                return state.channel(named: "lobby") != nil && state.connection == .connected
            }

            server.setAnsweringOnlineUsers(false)
            let first = Task { () -> Result<[String], SessionError> in
                do throws(SessionError) { return .success(try await session.onlineUsers(in: ScriptedServer.lobbyId)) } catch { return .failure(error) }
            }
            await clock.untilSleeping(1)
            clock.advance(by: .seconds(6))
            let second = Task { () -> Result<[String], SessionError> in
                do throws(SessionError) { return .success(try await session.onlineUsers(in: ScriptedServer.lobbyId)) } catch { return .failure(error) }
            }
            await clock.untilSleeping(2)
            // Ten seconds after the first question: it alone times out.
            clock.advance(by: .seconds(4))
            guard case .failure = await first.value else {
                Issue.record("the first question should have timed out")
                return
            }
            // The second, six seconds from its own timeout, is answered with a third question.
            server.setAnsweringOnlineUsers(true)
            #expect(try await session.onlineUsers(in: ScriptedServer.lobbyId) == [ScriptedServer.alice.id])
            #expect(try await second.value.get() == [ScriptedServer.alice.id])
            // The answered questions' timeouts are cancelled, not left asleep.
            #expect(clock.sleeperCount == 0)
            await session.stop()
        }
    }

    /// The keep-alive on a clock the test moves: a `ping` every 20 s, whose pongs keep a
    /// quiet connection up well past the 45 s dead-after; once the server stops answering,
    /// the connection is dropped exactly 45 s after the last frame and replaced.
    @Test func aSilentConnectionIsDeclaredDeadAndReplaced() async throws {
        try await ScriptedServer.start().whileRunning { server in
            let clock = TestClock()
            var configuration = RealtimeConnection.Configuration()
            configuration.clock = clock
            let connection = RealtimeConnection(
                endpoint: server.endpoint, credentials: .fixed(ScriptedServer.alice.token), configuration: configuration)
            let pongs = SharedValue(0)
            let states = SharedValue<[ConnectionState]>([])
            let running = Task { await connection.run() }
            defer { running.cancel() }
            let reading = Task {
                for await event in connection.events {
                    switch event {
                    case .frame(_, .pong?): pongs.update { $0 += 1 }
                    case .state(let state): states.update { $0.append(state) }
                    default: continue
                    }
                }
            }
            try await eventually("connected") { states.current == [.connecting, .connected] }
            // The heartbeat's wait is the only one on the clock while connected (polled, so
            // that a heartbeat on another clock fails the test instead of hanging it).
            let heartbeatAsleep = { () async throws in
                try await eventually("the heartbeat asleep on the clock") { clock.sleeperCount == 1 }
            }
            try await heartbeatAsleep()
            // Three pings, each answered before the clock moves on: 60 s without a word of our own.
            for round in 1...3 {
                clock.advance(by: configuration.pingInterval)
                try await eventually("pong \(round)") { pongs.current == round }
                try await heartbeatAsleep()
            }
            #expect(states.current == [.connecting, .connected], "answered pings keep the connection")
            #expect(server.handshakes == 1)

            // Silent from the last pong (at 60 s): pings at 80 s and 100 s go unanswered.
            server.setAnswersPings(false)
            for _ in 1...2 {
                clock.advance(by: configuration.pingInterval)
                try await heartbeatAsleep()
            }
            // 44.999 s after the last frame the heartbeat still waits; at 45 s the connection is dead.
            clock.advance(by: configuration.deadAfter - configuration.pingInterval * 2 - .milliseconds(1))
            #expect(clock.sleeperCount == 1)
            #expect(states.current == [.connecting, .connected])
            clock.advance(by: .milliseconds(1))
            try await eventually("the dead connection given up") { states.current.count > 2 }
            guard case .reconnecting(let delay, attempt: 1) = states.current[2] else {
                Issue.record("expected a reconnect after the silence, got \(states.current)")
                return
            }
            // The backoff waits on the same clock.
            if delay > .zero { try await eventually("the backoff asleep on the clock") { clock.sleeperCount == 1 } }
            clock.advance(by: delay)
            try await eventually("connected again") { states.current.last == .connected && server.handshakes == 2 }
            running.cancel()
            await running.value
            await reading.value
        }
    }

    @Test func theOutboxRetriesServerErrorsAndHonoursRetryAfter() async throws {
        try await ScriptedServer.start().whileRunning { server in
            let clock = TestClock()
            let session = await server.startedSession { $0.clock = clock }
            try await eventually("connected") { await session.state.channel(named: "lobby") != nil }
            server.failNextPosts([500, 503, 429])
            try await session.send("eventually", to: ScriptedServer.lobbyId)
            try await session.send("in order", to: ScriptedServer.lobbyId)
            // Each failure waits on the clock, growing from 500 ms; the 429's `Retry-After: 1`
            // replaces the 2 s the third wait would otherwise be.
            let waits: [Duration] = [.milliseconds(500), .seconds(1), .seconds(1)]
            for (attempt, wait) in waits.enumerated() {
                await clock.untilSleeping()
                #expect(server.postAttempts == attempt + 1)
                #expect(await session.state.channel(named: "lobby")?.outbox.map(\.delivery) == [.pending, .pending])
                clock.advance(by: wait - .milliseconds(1))
                #expect(clock.sleeperCount == 1, "try \(attempt + 1) waits the whole \(wait)")
                clock.advance(by: .milliseconds(1))
            }
            try await eventually("both delivered") { await session.state.channel(named: "lobby")?.outbox.isEmpty == true }
            #expect(server.postAttempts == 5)
            #expect(server.storedContents == ["eventually", "in order"])
            // With one server a 503 is retried in place: the connection stays up.
            #expect(server.handshakes == 1)
            #expect(await session.state.channel(named: "lobby")?.messages.map(\.message.content) == ["eventually", "in order"])
            await session.stop()
        }
    }

    @Test func aRefusedMessageIsShownFailedUntilRetriedOrDiscarded() async throws {
        try await ScriptedServer.start().whileRunning { server in
            let session = Session(endpoint: server.endpoint, token: ScriptedServer.alice.token)
            await session.start()
            try await eventually("connected") { await session.state.channel(named: "lobby") != nil }
            server.failNextPosts([403, 403])
            let kept = try await session.send("kept", to: ScriptedServer.lobbyId)
            let dropped = try await session.send("dropped", to: ScriptedServer.lobbyId)
            try await eventually("both refused") {
                await session.state.channel(named: "lobby")?.outbox.allSatisfy { $0.delivery != .pending } == true
            }
            #expect(server.storedContents.isEmpty)
            await session.retry(clientId: kept)
            await session.discard(clientId: dropped)
            try await eventually("the retried one delivered") { await session.state.channel(named: "lobby")?.outbox.isEmpty == true }
            #expect(server.storedContents == ["kept"])
            #expect(await session.state.channel(named: "lobby")?.messages.map(\.message.content) == ["kept"])
            await session.stop()
        }
    }

    @Test func reconnectOpensAFreshConnectionAtOnce() async throws {
        try await ScriptedServer.start().whileRunning { server in
            // A long backoff: only reconnect() can make the second connection come quickly.
            let session = await server.startedSession { $0.connection.policy = ReconnectPolicy(base: .seconds(60), cap: .seconds(60)) }
            try await eventually("connected") { await session.state.connection == .connected }
            await session.reconnect()
            try await eventually("a second connection") { server.handshakes == 2 && server.connectionCount == 1 }
            try await eventually("connected again") { await session.state.connection == .connected }
            await session.stop()
        }
    }

    @Test func aServerThatNeverAnswersTheHandshakeIsRetriedAndStopStillReturns() async throws {
        let silent = try SilentListener()
        defer { silent.close() }
        var configuration = Session.Configuration()
        configuration.connection.handshakeTimeout = .milliseconds(300)
        configuration.connection.policy = ReconnectPolicy(base: .milliseconds(50), cap: .milliseconds(100))
        let session = Session(endpoint: try ServerEndpoint("127.0.0.1:\(silent.port)"), token: "opaque", configuration: configuration)
        await session.start()
        try await eventually("a third attempt") {
            guard case .reconnecting(_, let attempt) = await session.state.connection else { return false }
            return attempt >= 3
        }
        // Every attempt so far still waits for its answer; stopping must not wait for them.
        let stopped = Mutex(false)
        Task {
            await session.stop()
            stopped.withLock { $0 = true }
        }
        try await eventually("stop returned", within: 10) { stopped.withLock { $0 } }
    }

    @Test func aTokenTheForeignServerRefusesFailsWithoutALoop() async throws {
        try await ScriptedServer.start().whileRunning { server in
            let session = Session(endpoint: server.endpoint, token: "stolen-or-expired")
            await session.start()
            try await eventually("failed(unauthorized)") { await session.state.connection == .failed(.unauthorized) }
            #expect(server.connectionCount == 0)
            await session.stop()
        }
    }

    @Test func aFastAPIStyle403HandshakeIsCheckedWithAuthMe() async throws {
        try await RefusingServer.start(meStatus: 401).whileRunning { refusing in
            let session = Session(endpoint: try ServerEndpoint("127.0.0.1:\(refusing.port)"), token: "opaque")
            await session.start()
            try await eventually("failed(unauthorized)") { await session.state.connection == .failed(.unauthorized) }
            let requests = refusing.requests
            #expect(requests.first?.hasPrefix("GET /ws?token=opaque") == true)
            #expect(requests.contains { $0.hasPrefix("GET /api/v1/auth/me") })
            await session.stop()
        }
    }

    @Test func a403HandshakeWithAGoodTokenKeepsRetrying() async throws {
        try await RefusingServer.start(meStatus: 200).whileRunning { refusing in
            var configuration = Session.Configuration()
            configuration.connection.policy = ReconnectPolicy(base: .milliseconds(50), cap: .milliseconds(100))
            let session = Session(endpoint: try ServerEndpoint("127.0.0.1:\(refusing.port)"), token: "opaque", configuration: configuration)
            await session.start()
            try await eventually("several handshakes") { refusing.requests.filter { $0.hasPrefix("GET /ws") }.count >= 3 }
            if case .failed = await session.state.connection { Issue.record("gave up although the token is good") }
            await session.stop()
        }
    }
}
