import Foundation
import PythiaClient
import PythiaProtocol
import PythiaServer
import PythiaTestSupport
import Synchronization
import Testing

/// The engine against the real server, over real sockets, including restarts.
@Suite(.serialized) struct SessionLiveTests {
    /// Reconnect attempts at most a second apart.
    private static let briskReconnects = ReconnectPolicy(base: .milliseconds(100), cap: .seconds(1))

    private func channelState(_ session: Session, _ name: String) async -> ChannelState? {
        await session.state.channel(named: name)
    }

    @Test func restartFillsTheGapExactlyOnceAndInOrder() async throws {
        try await LiveServer.start().whileRunning { live in
            let (alice, bob, general) = try await live.aliceAndBobInGeneral()
            let first = try await live.api(bob).postMessage(channelId: general.id, content: "before", clientId: nil)

            // Retries a second apart at most: how long the outage lasts on a loaded machine
            // must not decide whether the reconnect falls inside the test's wait.
            var configuration = Session.Configuration()
            configuration.connection.policy = Self.briskReconnects
            let session = Session(endpoint: live.endpoint, token: alice.accessToken, configuration: configuration)
            await session.start()
            try await eventually("alice connected with the history") {
                let state = await session.state
                return state.connection == .connected && state.channel(named: "general")?.messages.map(\.id) == [first.id]
            }
            #expect(await session.state.me?.username == "alice")

            await live.stop()
            try await eventually("alice sees the connection drop") { await !session.state.connection.isConnected }
            var missed: [String] = []
            try await live.withOtherInstance { endpoint in
                let bobAPI = APIClient(endpoint: endpoint, token: bob.accessToken)
                for index in 1...5 {
                    missed.append(try await bobAPI.postMessage(channelId: general.id, content: "missed \(index)", clientId: nil).id)
                }
            }
            try await live.restart()
            try await eventually("alice reconnected") { await session.state.connection == .connected }
            let after = try await live.api(bob).postMessage(channelId: general.id, content: "after", clientId: nil)
            let expected = [first.id] + missed + [after.id]
            try await eventually("every message once, in order") {
                await channelState(session, "general")?.messages.map(\.id) == expected
            }
            let channel = await channelState(session, "general")
            #expect(channel?.messages.map(\.message.content) == ["before", "missed 1", "missed 2", "missed 3", "missed 4", "missed 5", "after"])
            await session.stop()
        }
    }

    @Test func aMessageSentWhileTheServerIsDownIsDeliveredExactlyOnce() async throws {
        try await LiveServer.start().whileRunning { live in
            let alice = try await live.running.provisionLocalAccount(username: "alice")
            let general = try await live.running.ensureChannel(named: "general", ownedBy: alice.user.id)
            // The outbox's waits run on a clock the test moves.
            let clock = TestClock()
            var configuration = Session.Configuration()
            configuration.clock = clock
            configuration.connection.policy = Self.briskReconnects
            let session = Session(endpoint: live.endpoint, token: alice.accessToken, configuration: configuration)
            await session.start()
            try await eventually("connected") {
                let state = await session.state
                return state.channel(named: "general") != nil && state.connection == .connected
            }
            try await session.send("while online", to: general.id)
            try await eventually("the first message delivered and its POST answered") {
                // Its echo can come before the POST's answer: until that is in, the next message
                // would wait behind it, not be the one posting.
                let channel = await channelState(session, "general")
                return channel?.messages.contains { $0.message.content == "while online" } == true && channel?.posting == nil
            }

            await live.stop()
            let clientId = try await session.send("while offline", to: general.id)
            let channel = await channelState(session, "general")
            #expect(channel?.outbox.map(\.id) == [clientId])
            #expect(channel?.outbox.first?.delivery == .pending)
            #expect(channel?.posting?.clientId == clientId)

            try await live.restart()
            try await eventually("the offline message delivered") {
                // A POST that gave up during the outage waits on the clock: each look fires the wait.
                clock.advance(by: configuration.outboxMaxRetryDelay)
                let channel = await channelState(session, "general")
                return channel?.outbox.isEmpty == true && channel?.messages.map(\.message.content) == ["while online", "while offline"]
            }
            let stored = try await live.api(alice).messages(channelId: general.id)
            #expect(stored.map(\.content) == ["while online", "while offline"])
            #expect(stored.last?.clientId == clientId)
            // Nothing arrives late to double it: the catch-up after the reconnect is applied, and a
            // `/who` answered on the socket is a barrier (frames on one connection are ordered:
            // an echo still on its way comes before it).
            try await eventually("reconnected and caught up") {
                let state = await session.state
                return state.connection == .connected && state.channel(named: "general")?.isCaughtUp == true
            }
            _ = try await session.onlineUsers(in: general.id)
            #expect(await channelState(session, "general")?.timeline.count == 2)
            await session.stop()
        }
    }

    @Test func ourMessageDeliveredBeforeTheCatchUpDoesNotHideWhatOthersPostedMeanwhile() async throws {
        try await LiveServer.start().whileRunning { live in
            let (alice, bob, general) = try await live.aliceAndBobInGeneral()
            _ = try await live.api(bob).postMessage(channelId: general.id, content: "before", clientId: nil)
            var configuration = Session.Configuration()
            configuration.outboxMaxRetryDelay = .milliseconds(200)
            // A slow reconnect lets the outbox's POST land before the catch-up runs.
            configuration.connection.policy = ReconnectPolicy(base: .seconds(2), cap: .seconds(2))
            let session = Session(endpoint: live.endpoint, token: alice.accessToken, configuration: configuration)
            await session.start()
            try await eventually("alice connected with the history") {
                await channelState(session, "general")?.messages.count == 1
            }

            await live.stop()
            try await eventually("alice sees the connection drop") { await !session.state.connection.isConnected }
            try await live.withOtherInstance { endpoint in
                _ = try await APIClient(endpoint: endpoint, token: bob.accessToken).postMessage(channelId: general.id, content: "bob while alice was away", clientId: nil)
            }
            _ = try await session.send("alice while the server was down", to: general.id)
            try await live.restart()
            try await eventually("both messages, once each, in the server's order") {
                let channel = await channelState(session, "general")
                return channel?.outbox.isEmpty == true
                    && channel?.messages.map(\.message.content) == ["before", "bob while alice was away", "alice while the server was down"]
            }
            await session.stop()
        }
    }

    @Test func theOutboxSurvivesARestartOfTheProgram() async throws {
        try await LiveServer.start().whileRunning { live in
            let alice = try await live.running.provisionLocalAccount(username: "alice")
            let general = try await live.running.ensureChannel(named: "general", ownedBy: alice.user.id)
            var configuration = Session.Configuration()
            configuration.outboxFile = live.directory.appendingPathComponent("state/outbox.json")
            let first = Session(endpoint: live.endpoint, token: alice.accessToken, configuration: configuration)
            await first.start()
            try await eventually("connected") { await channelState(first, "general") != nil }
            await live.stop()
            try await first.send("one", to: general.id)
            try await first.send("two", to: general.id)
            await first.stop()
            let saved = try Data(contentsOf: try #require(configuration.outboxFile))
            #expect(String(decoding: saved, as: UTF8.self).contains("two"))
            let attributes = try FileManager.default.attributesOfItem(atPath: configuration.outboxFile!.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            try await live.restart()
            let second = Session(endpoint: live.endpoint, token: alice.accessToken, configuration: configuration)
            await second.start()
            try await eventually("both delivered after the restart") {
                let channel = await channelState(second, "general")
                return channel?.outbox.isEmpty == true && channel?.messages.map(\.message.content) == ["one", "two"]
            }
            #expect(try await live.api(alice).messages(channelId: general.id).map(\.content) == ["one", "two"])
            #expect(!FileManager.default.fileExists(atPath: configuration.outboxFile!.path))
            await second.stop()
        }
    }

    @Test(arguments: ["not-a-jwt-token", AccessTokenTests.jwt(payload: #"{"sub":"x","username":"x","iat":1,"exp":4102444800}"#)])
    func aRejectedTokenStopsTheRetryLoop(token: String) async throws {
        try await LiveServer.start().whileRunning { live in
            let backoffClock = TestClock()
            var configuration = Session.Configuration()
            configuration.connection.clock = backoffClock
            let session = Session(endpoint: live.endpoint, token: token, configuration: configuration)
            await session.start()
            try await eventually("failed(unauthorized)") {
                if case .failed(let failure) = await session.state.connection { return failure.isUnauthorized }
                return false
            }
            // It stays failed: no retry waits for its turn, and time passing starts none.
            #expect(backoffClock.sleeperCount == 0)
            backoffClock.advance(by: .seconds(60))
            #expect(await session.state.connection == .failed(.unauthorized))
            await session.stop()
        }
    }

    @Test func theTokenIsRefreshedBeforeItExpires() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-refresh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var serverConfiguration = LiveServer.configuration(directory: directory, port: 0)
        serverConfiguration.tokenTTL = .seconds(3600)
        let server = try await ChatServer.start(serverConfiguration)
        let alice = try await server.provisionLocalAccount(username: "alice")
        let refreshed = Mutex<[String]>([])
        let clock = TestClock()
        var configuration = Session.Configuration()
        configuration.clock = clock
        configuration.onTokenRefreshed = { token in refreshed.withLock { $0.append(token) } }
        let session = Session(endpoint: try ServerEndpoint(server.baseURL), token: alice.accessToken, configuration: configuration)
        await session.start()
        // An hour of life, refreshed 300 s before expiry: the keeper waits 3300 s on the clock,
        // the only wait on it in a session that sends nothing.
        try await eventually("the refresh waiting on the clock") { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(3290))
        #expect(clock.sleeperCount == 1, "not refreshed before its time")
        clock.advance(by: .seconds(10))
        try await eventually("a refreshed token") { !refreshed.withLock { $0 }.isEmpty }
        let fresh = try #require(refreshed.withLock { $0.first })
        #expect(fresh != alice.accessToken)
        let me = try await APIClient(endpoint: try ServerEndpoint(server.baseURL), token: fresh).me()
        #expect(me.id == alice.user.id)
        await session.stop()
        await server.shutdown()
    }

    @Test func typingAndLiveEventsFlowBetweenTwoSessions() async throws {
        try await LiveServer.start().whileRunning { live in
            let (alice, bob, general) = try await live.aliceAndBobInGeneral()
            let aliceSession = Session(endpoint: live.endpoint, token: alice.accessToken)
            let bobSession = Session(endpoint: live.endpoint, token: bob.accessToken)
            await aliceSession.start()
            await bobSession.start()
            for session in [aliceSession, bobSession] {
                try await eventually("connected") {
                    let state = await session.state
                    return state.connection == .connected && state.channel(named: "general") != nil
                }
            }
            try await aliceSession.composing(in: general.id, isComposing: true)
            try await eventually("bob sees alice typing") {
                await bobSession.state.channel(named: "general")?.typingUserIds(at: Date()) == [alice.user.id]
            }
            // Names come with the user list, read after connecting: under a CPU hog the typing
            // frame once came first.
            try await eventually("bob knows alice's name") { await bobSession.state.displayName(of: alice.user.id) == "alice" }
            try await aliceSession.send("hi @bob", to: general.id)
            try await eventually("the message ends the typing and reaches bob") {
                let channel = await bobSession.state.channel(named: "general")
                return channel?.typing.isEmpty == true && channel?.messages.last?.message.content == "hi @bob"
            }
            let messageId = try #require(await bobSession.state.channel(named: "general")?.messages.last?.id)
            try await aliceSession.edit(messageId: messageId, content: "hi @bob, edited")
            try await bobSession.react(emoji: "🎉", to: messageId)
            try await eventually("alice sees bob's reaction and bob sees the edit") {
                let aliceMessage = await aliceSession.state.channel(named: "general")?.messages.last?.message
                let bobMessage = await bobSession.state.channel(named: "general")?.messages.last?.message
                return aliceMessage?.reactions.first?.userIds == [bob.user.id] && bobMessage?.content == "hi @bob, edited"
            }
            try await aliceSession.delete(messageId: messageId)
            try await eventually("bob sees the deletion") { await bobSession.state.channel(named: "general")?.messages.isEmpty == true }
            await aliceSession.stop()
            try await eventually("bob sees alice go offline") { await !bobSession.state.isOnline(alice.user.id) }
            await bobSession.stop()
        }
    }

    @Test func anInvitationShowsUpWithoutAnyEvent() async throws {
        try await LiveServer.start().whileRunning { live in
            let alice = try await live.running.provisionLocalAccount(username: "alice")
            let bob = try await live.running.provisionLocalAccount(username: "bob")
            _ = try await live.running.ensureChannel(named: "general", ownedBy: bob.user.id)
            var configuration = Session.Configuration()
            configuration.channelListInterval = .milliseconds(300)
            let bobSession = Session(endpoint: live.endpoint, token: bob.accessToken, configuration: configuration)
            await bobSession.start()
            try await eventually("bob connected") { await bobSession.state.channel(named: "general") != nil }
            let secret = try await live.api(alice).createChannel(name: "secret", isPrivate: true)
            _ = try await live.api(alice).postMessage(channelId: secret.id, content: "before bob", clientId: nil)
            try await live.api(alice).addMember(userId: bob.user.id, to: secret.id)
            try await eventually("bob sees the private channel and its history") {
                await channelState(bobSession, "secret")?.messages.map(\.message.content) == ["before bob"]
            }
            await bobSession.stop()
        }
    }

    @Test func intentsReachTheServer() async throws {
        try await LiveServer.start().whileRunning { live in
            let alice = try await live.running.provisionLocalAccount(username: "alice")
            let bob = try await live.running.provisionLocalAccount(username: "bob")
            _ = try await live.running.ensureChannel(named: "general", ownedBy: alice.user.id)
            let session = Session(endpoint: live.endpoint, token: alice.accessToken)
            await session.start()
            try await eventually("connected") {
                let state = await session.state
                return state.channel(named: "general") != nil && state.connection == .connected
            }

            let created = try await session.createChannel(name: "#dev", description: "builds")
            #expect(await session.state.selectedChannelId == created.id)
            try await session.invite(username: "@bob", to: created.id)
            let bobChannels = try await live.api(bob).channels()
            #expect(bobChannels.contains { $0.id == created.id })

            try await session.send("hello @bob", to: created.id)
            try await eventually("delivered") { await channelState(session, "dev")?.messages.count == 1 }
            let messageId = try #require(await channelState(session, "dev")?.messages.first?.id)
            try await session.react(emoji: "👍", to: messageId)
            #expect(await channelState(session, "dev")?.messages.first?.message.reactions.first?.count == 1)
            try await session.react(emoji: "👍", to: messageId)
            try await eventually("reaction removed") { await channelState(session, "dev")?.messages.first?.message.reactions.isEmpty == true }
            try await session.edit(messageId: messageId, content: "hello again")
            #expect(await channelState(session, "dev")?.messages.first?.message.content == "hello again")
            #expect(await channelState(session, "dev")?.messages.first?.message.isEdited == true)

            let online = try await session.onlineUsers(in: created.id)
            #expect(online == [alice.user.id])

            try await session.delete(messageId: messageId)
            #expect(await channelState(session, "dev")?.messages.isEmpty == true)

            let publicNames = try await session.publicChannels().map(\.name).sorted()
            #expect(publicNames == ["dev", "general"])
            try await session.leave(channelId: created.id)
            #expect(await session.state.channel(named: "dev") == nil)
            let joined = try await session.joinChannel(named: "dev")
            #expect(joined.id == created.id)
            #expect(await session.state.channel(named: "dev") != nil)

            await #expect(throws: SessionError.self) { try await session.joinChannel(named: "nope") }
            await #expect(throws: SessionError.self) { try await session.send("   ", to: created.id) }
            await #expect(throws: SessionError.self) { try await session.invite(username: "nobody_here", to: created.id) }
            await session.stop()
        }
    }

    @Test func aBurstOverTheRateLimitArrivesCompleteAndInOrder() async throws {
        try await LiveServer.start().whileRunning { live in
            let alice = try await live.running.provisionLocalAccount(username: "alice")
            let general = try await live.running.ensureChannel(named: "general", ownedBy: alice.user.id)
            let session = Session(endpoint: live.endpoint, token: alice.accessToken)
            await session.start()
            try await eventually("connected") { await session.state.channel(named: "general") != nil }
            let texts = (1...35).map { "burst \($0)" }
            for text in texts { try await session.send(text, to: general.id) }
            try await eventually("all delivered", within: 30) { await channelState(session, "general")?.outbox.isEmpty == true }
            #expect(await channelState(session, "general")?.messages.map(\.message.content) == texts)
            #expect(try await live.api(alice).messages(channelId: general.id).map(\.content) == texts)
            await session.stop()
        }
    }

    @Test func loadOlderPagesBackToTheFirstMessage() async throws {
        try await LiveServer.start().whileRunning { live in
            let alice = try await live.running.provisionLocalAccount(username: "alice")
            let general = try await live.running.ensureChannel(named: "general", ownedBy: alice.user.id)
            let api = live.api(alice)
            var posted: [String] = []
            for index in 0..<12 {
                posted.append(try await api.postMessage(channelId: general.id, content: "m\(index)", clientId: "k\(index)").id)
                guard index < 3 else { continue }
                // Same client_id again: the server answers the same message and stores nothing.
                let again = try await api.postMessage(channelId: general.id, content: "m\(index)", clientId: "k\(index)")
                #expect(again.id == posted.last)
            }
            var configuration = Session.Configuration()
            configuration.historyPageSize = 5
            let session = Session(endpoint: live.endpoint, token: alice.accessToken, configuration: configuration)
            await session.start()
            try await eventually("latest page") { await channelState(session, "general")?.messages.count == 5 }
            #expect(await channelState(session, "general")?.hasOlderHistory == true)
            try await session.loadOlder(channelId: general.id)
            try await session.loadOlder(channelId: general.id)
            #expect(await channelState(session, "general")?.hasOlderHistory == false)
            try await session.loadOlder(channelId: general.id)
            #expect(await channelState(session, "general")?.messages.map(\.id) == posted)
            await session.stop()
        }
    }
}
