import Foundation
import PythiaClient
import PythiaProtocol
import PythiaServer
import PythiaTestSupport
import Testing

/// Search and `around=` through the client: the real server, a server without search, and
/// the local search's rules.
@Suite(.serialized) struct SearchClientTests {
    @Test func searchAndAroundAgainstTheRealServer() async throws {
        try await LiveServer.start { $0.restWriteRate = RateLimit(perSecond: 1000, burst: 1000) }.whileRunning { live in
            let (alice, _, general) = try await live.aliceAndBobInGeneral()
            let api = live.api(alice)
            var ids: [String] = []
            for text in ["Café at noon?", "the deployment is done", "lunch", "café deployment retro", "bye"] {
                ids.append(try await api.postMessage(channelId: general.id, content: text, clientId: nil).id)
            }
            let hits = try await api.search("CAFE deplo")
            #expect(hits.map(\.message.content) == ["café deployment retro"])
            #expect(hits.first?.highlights == [0..<4, 5..<15])
            #expect(try await api.search("cafe", limit: 1).map(\.message.content) == ["café deployment retro"])
            #expect(try await api.search("\"NEAR(*", channelId: general.id).isEmpty)
            #expect(try await api.messages(around: ids[2], channelId: general.id, limit: 3).map(\.content)
                == ["the deployment is done", "lunch", "café deployment retro"])
            await #expect(throws: APIError.self) { try await api.search("") }
        }
    }

    @Test func aServerWithoutSearchIsSearchedInTheHistoryHeldHere() async throws {
        try await ScriptedServer.start().whileRunning { server in
            await server.post("the Déploiement plan", as: ScriptedServer.bob)
            await server.post("unrelated", as: ScriptedServer.bob)
            let session = Session(endpoint: server.endpoint, token: ScriptedServer.alice.token)
            await session.start()
            try await eventually("history loaded") { await session.state.channel(named: "lobby")?.messages.count == 2 }
            let results = try await session.search("deploie PLAN")
            #expect(results.searchedLocally)
            #expect(results.hits.map(\.message.content) == ["the Déploiement plan"])
            #expect(results.hits.first?.highlights == [4..<15, 16..<20])
            await session.stop()
        }
    }

    @Test func localSearchFollowsTheServersRules() {
        let store = Fixtures.store(receiving: [
            Fixtures.message("m1", "Meet at the Café", at: 1),
            Fixtures.message("m2", "deployment tonight", at: 2),
            Fixtures.message("m3", "café deployment", in: Fixtures.random, at: 3),
            Fixtures.message("m4", "👩‍👩‍👧‍👦 東京 cafe", at: 4),
        ])
        let state = store.state
        #expect(state.search(SearchQuery("CAFE")).map(\.message.id) == ["m4", "m3", "m1"])
        #expect(state.search(SearchQuery("cafe deplo")).map(\.message.id) == ["m3"])
        #expect(state.search(SearchQuery("cafe"), limit: 1).map(\.message.id) == ["m4"])
        #expect(state.search(SearchQuery("東京")).first?.highlights == [2..<4])
        #expect(state.search(SearchQuery("\"*:-")).isEmpty, "a query of symbols has no word and matches nothing")
        #expect(state.search(SearchQuery("afe")).isEmpty, "words match at their start only")
    }
}
