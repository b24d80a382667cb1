import Foundation
import Hummingbird
import PythiaClient
import PythiaProtocol
import PythiaServer
import PythiaTestSupport
import Testing

/// Every class of REST failure, as the real server produces it.
@Suite(.serialized) struct APIClientLiveTests {
    private func failure(_ body: () async throws -> Void) async -> APIError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? APIError
        }
    }

    /// A port nobody listens on, or a host that does not resolve, is said in the system's
    /// words, naming it, not in NIO's.
    @Test func aClosedPortIsConnectionRefusedNamingIt() async throws {
        let port = try RestartablePort.reserve()
        let api = APIClient(endpoint: try ServerEndpoint("http://127.0.0.1:\(port)"), token: nil)
        let error = await failure { _ = try await api.health() }
        #expect(error?.kind == .transport)
        #expect(error?.detail == "connection refused (127.0.0.1:\(port))")
        // A name that does not resolve (.invalid never does, RFC 6761) says so.
        let nowhere = APIClient(endpoint: try ServerEndpoint("http://pythia.invalid:\(port)"), token: nil)
        let lookup = await failure { _ = try await nowhere.health() }
        #expect(lookup?.kind == .transport)
        #expect(lookup?.detail.hasPrefix("cannot resolve pythia.invalid (") == true, "\(String(describing: lookup))")
    }

    @Test func errorsAreTypedWithTheServersDetail() async throws {
        // A bucket that hardly refills, so the flood below is refused however slowly the
        // machine posts it.
        try await LiveServer.start { $0.restWriteRate = RateLimit(perSecond: 0.01, burst: 20) }.whileRunning { live in
            let anonymous = APIClient(endpoint: live.endpoint, token: nil)
            let carol = try await anonymous.register(username: "carol", email: "carol@example.com", password: "correct horse")
            let login = try await anonymous.login(username: "carol@example.com", password: "correct horse")
            #expect(login.user.id == carol.id)
            let api = APIClient(endpoint: live.endpoint, token: login.accessToken)
            #expect(try await api.me().username == "carol")
            #expect(try await api.health().status == "ok")

            var error = await failure { _ = try await anonymous.login(username: "carol", password: "wrong password") }
            #expect(error?.kind == .unauthorized)
            error = await failure { _ = try await APIClient(endpoint: live.endpoint, token: "forged").me() }
            #expect(error?.kind == .unauthorized)
            #expect(error?.status == 401)
            error = await failure { _ = try await anonymous.register(username: "CAROL", email: "other@example.com", password: "correct horse") }
            #expect(error?.kind == .conflict)
            error = await failure { _ = try await api.createChannel(name: "Not Valid") }
            #expect(error?.kind == .validation)
            #expect(error?.detail.contains("channel name") == true)
            error = await failure { _ = try await api.channel(id: UUID().uuidString.lowercased()) }
            #expect(error?.kind == .notFound)

            let dave = try await live.running.provisionLocalAccount(username: "dave")
            let room = try await api.createChannel(name: "room")
            let message = try await api.postMessage(channelId: room.id, content: "mine", clientId: nil)
            error = await failure { _ = try await live.api(dave).editMessage(id: message.id, content: "theirs") }
            #expect(error?.kind == .forbidden)

            // At once, so that a slow disk on a busy machine cannot refill the bucket between posts.
            let limited = await withTaskGroup(of: APIError?.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        await failure { _ = try await api.postMessage(channelId: room.id, content: "flood \(index)", clientId: nil) }
                    }
                }
                return await group.reduce(into: nil as APIError?) { found, error in
                    if found == nil, error?.kind == .rateLimited { found = error }
                }
            }
            #expect(limited?.kind == .rateLimited)
            #expect(limited?.retryAfter != nil)
            #expect(limited?.isTransient == true)

            let nowhere = APIClient(endpoint: try ServerEndpoint("127.0.0.1:1"), token: nil, timeout: .seconds(3))
            error = await failure { _ = try await nowhere.health() }
            #expect(error?.kind == .transport)
            #expect(error?.isTransient == true)
        }
    }

    /// Every Pythia server has both channel lists: a URL answering 404 there is something
    /// else, said in the words the chat UI, `send` and `tail` print. A 404 elsewhere is still
    /// a missing user, channel or message.
    @Test func aChannelListAnswering404MeansNoPythiaServerThere() async throws {
        let (ports, found) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { found.yield($0.localAddress?.port ?? 0) })
        let running = Task { try await app.runService() }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        let endpoint = try ServerEndpoint("http://127.0.0.1:\(await iterator.next() ?? 0)")
        let api = APIClient(endpoint: endpoint, token: "opaque")

        for list in [api.channels, api.publicChannels] {
            let error = try #require(await failure { _ = try await list() })
            #expect(error.kind == .noPythiaServer)
            #expect(!error.isTransient)
            #expect(error.description == "no Pythia server at \(endpoint): it answers 404 where the chat API should be; check the URL")
            #expect(HeadlessFailure(error).status == 4)
        }
        #expect(await failure { _ = try await api.channel(id: "c1") }?.kind == .notFound)
    }

    @Test func missedMessagesAreFetchedOnceEach() async throws {
        try await LiveServer.start().whileRunning { live in
            let alice = try await live.running.provisionLocalAccount(username: "alice")
            let general = try await live.running.ensureChannel(named: "general", ownedBy: alice.user.id)
            let api = live.api(alice)
            let before = try await api.postMessage(channelId: general.id, content: "before", clientId: nil)
            var missed = MissedMessages()
            try await missed.track([general.id], api: api)
            let beforeIsNew = missed.note(.newMessage(MessageEvent(data: before, timestamp: before.createdAt)))
            #expect(!beforeIsNew)
            let live1 = try await api.postMessage(channelId: general.id, content: "seen live", clientId: nil)
            let liveIsNew = missed.note(.newMessage(MessageEvent(data: live1, timestamp: live1.createdAt)))
            #expect(liveIsNew)
            for index in 1...5 { _ = try await api.postMessage(channelId: general.id, content: "away \(index)", clientId: nil) }
            let fetched = try await missed.fetchMissed(api: api, pageSize: 2)
            #expect(fetched.map(\.content) == (1...5).map { "away \($0)" })
            #expect(try await missed.fetchMissed(api: api).isEmpty)
        }
    }
}
