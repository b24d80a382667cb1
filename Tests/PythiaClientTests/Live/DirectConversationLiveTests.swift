import Foundation
import PythiaClient
import PythiaProtocol
import PythiaServer
import PythiaTestSupport
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
        try await LiveServer.start().whileRunning { live in
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
    }

    @Test func nobodyAndThemselvesAreRefusedWithoutACall() async throws {
        try await LiveServer.start().whileRunning { live in
            let (alice, _, _) = try await live.aliceAndBobInGeneral()
            let session = try await connectedSession(live, alice)
            await #expect { try await session.openDirectConversation(with: "nobody") } throws: { ($0 as? SessionError)?.isNotFound == true }
            await #expect { try await session.openDirectConversation(with: "ALICE") } throws: { ($0 as? SessionError)?.isInvalidInput == true }
            #expect(try await live.api(alice).channels().map(\.name) == ["general"])
            await session.stop()
        }
    }

    /// A username with a '.', which channel names cannot hold, can be written to too.
    @Test func aUsernameWithADotHasAConversation() async throws {
        try await LiveServer.start().whileRunning { live in
            let (alice, _, _) = try await live.aliceAndBobInGeneral()
            let carol = try await live.running.provisionLocalAccount(username: "Carol.B")
            _ = try await live.running.ensureChannel(named: "general", ownedBy: carol.user.id)
            let aliceSession = try await connectedSession(live, alice)
            let opened = try await aliceSession.openDirectConversation(with: "carol.b", text: "hello carol")
            #expect(opened.name == "dm-alice-carol_b")
            let members = try await live.api(alice).members(channelId: opened.id)
            #expect(Set(members.map(\.user.username)) == ["alice", "Carol.B"])
            let again = try await aliceSession.openDirectConversation(with: "@Carol.B", text: nil)
            #expect(again.id == opened.id)
            let carolSession = try await connectedSession(live, carol)
            let fromCarol = try await carolSession.openDirectConversation(with: "alice", text: "hi")
            #expect(fromCarol.id == opened.id)
            try await eventually("carol's session knows the conversation by its members") {
                let state = await carolSession.state
                guard let me = state.me, let channel = state[channelId: opened.id] else { return false }
                return DirectConversation.partner(in: channel, me: me)?.username == "alice"
            }
            await aliceSession.stop()
            await carolSession.stop()
        }
    }

    /// mallory makes `dm-alice-bob` and adds alice: it is not alice and bob's conversation,
    /// and alice's `/msg bob` says so rather than writing to bob through mallory's channel.
    @Test func aChannelNamedLikeAConversationIsNotTakenForOne() async throws {
        try await LiveServer.start().whileRunning { live in
            let (alice, _, _) = try await live.aliceAndBobInGeneral()
            let mallory = try await live.running.provisionLocalAccount(username: "mallory")
            let fake = try await live.api(mallory).createChannel(name: "dm-alice-bob", description: "", isPrivate: true)
            try await live.api(mallory).addMember(userId: alice.user.id, to: fake.id)
            let session = try await connectedSession(live, alice)
            try await eventually("the channel's members loaded") { await session.state[channelId: fake.id]?.members?.count == 2 }
            let state = await session.state
            #expect(state[channelId: fake.id].flatMap { channel in state.me.flatMap { DirectConversation.partner(in: channel, me: $0) } } == nil)
            await #expect { try await session.openDirectConversation(with: "bob", text: "secret") } throws: { error in
                (error as? SessionError)?.isInvalidInput == true && "\(error)".contains("@mallory")
            }
            #expect(try await live.api(mallory).messages(channelId: fake.id).isEmpty)
            await session.stop()
        }
    }
}
