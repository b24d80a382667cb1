import Foundation
import PythiaClient
import PythiaProtocol
import PythiaServer
import Testing

/// `/msg` against the real server: the `dm-<a>-<b>` channel is made once, with both users in it.
@Suite struct DirectConversationLiveTests {
    private func connectedSession(_ live: LiveServer, _ token: TokenResponse) async throws -> Session {
        let session = Session(endpoint: live.endpoint, token: token.accessToken)
        await session.start()
        try await eventually("\(token.user.username) connected") {
            let state = await session.state
            return state.connection == .connected && state.me != nil && state.channel(named: "general") != nil
        }
        return session
    }

    @Test func msgCreatesTheConversationOnceAndBothSidesReuseIt() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.cleanUp() } }
        let (alice, bob, _) = try await live.aliceAndBobInGeneral()
        let aliceSession = try await connectedSession(live, alice)
        let bobSession = try await connectedSession(live, bob)

        let opened = try await aliceSession.openDirectConversation(with: "@Bob", text: "got a minute?")
        #expect(opened.name == "dm-alice-bob")
        #expect(opened.isPrivate)
        #expect(await aliceSession.state.selectedChannelId == opened.id)
        let members = try await live.api(alice).members(channelId: opened.id)
        #expect(Set(members.map(\.user.username)) == ["alice", "bob"])
        try await eventually("bob has the conversation and its message") {
            await bobSession.state[channelId: opened.id]?.messages.map(\.message.content) == ["got a minute?"]
        }

        let again = try await aliceSession.openDirectConversation(with: "bob", text: nil)
        let fromBob = try await bobSession.openDirectConversation(with: "alice", text: "sure")
        #expect(again.id == opened.id)
        #expect(fromBob.id == opened.id)
        try await eventually("alice sees bob's answer") {
            await aliceSession.state[channelId: opened.id]?.messages.map(\.message.content) == ["got a minute?", "sure"]
        }
        let named = try await live.api(alice).channels().filter { $0.name.hasPrefix("dm-") }
        #expect(named.map(\.id) == [opened.id])
        await aliceSession.stop()
        await bobSession.stop()
    }

    @Test func nobodyThemselvesAndUnwritableNamesAreRefusedWithoutACall() async throws {
        let live = try await LiveServer.start()
        defer { Task { await live.cleanUp() } }
        let (alice, _, _) = try await live.aliceAndBobInGeneral()
        _ = try await live.running.provisionLocalAccount(username: "carol.b")
        let session = try await connectedSession(live, alice)
        await #expect { try await session.openDirectConversation(with: "nobody") } throws: { ($0 as? SessionError)?.isNotFound == true }
        await #expect { try await session.openDirectConversation(with: "ALICE") } throws: { ($0 as? SessionError)?.isInvalidInput == true }
        await #expect { try await session.openDirectConversation(with: "carol.b") } throws: { ($0 as? SessionError)?.isInvalidInput == true }
        #expect(try await live.api(alice).channels().map(\.name) == ["general"])
        await session.stop()
    }
}
