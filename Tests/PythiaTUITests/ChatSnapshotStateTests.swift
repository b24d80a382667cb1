import Foundation
import PythiaClient
import PythiaProtocol
import Testing

@testable import PythiaTUI

/// What the screen makes of the engine's state: the member pane and the Direct section.
@Suite struct ChatSnapshotStateTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let alice = User(id: "u-alice", username: "alice", email: "")
    let bob = User(id: "u-bob", username: "Bob", email: "")
    let carol = User(id: "u-carol", username: "carol", email: "")

    private func channel(_ id: String, _ name: String, isPrivate: Bool = false) -> Channel {
        Channel(id: id, name: name, isPrivate: isPrivate, createdBy: "u-alice", memberCount: 2, isMember: true)
    }

    private func store() -> ChatStore {
        var store = ChatStore()
        store.apply(.identified(alice))
        store.apply(.channelsLoaded([
            channel("c-dm-bob", "dm-alice-bob", isPrivate: true), channel("c-general", "general"),
            channel("c-dm-carol", "dm-alice-carol", isPrivate: true), channel("c-zeta", "zeta", isPrivate: true),
        ]))
        store.apply(.userLoaded(bob))
        return store
    }

    @Test func theMemberPaneFollowsPresenceOnlineFirst() {
        var store = store()
        store.apply(.select(channelId: "c-general"))
        #expect(ChatSnapshot(state: store.state, server: "s", now: t0).members == nil)
        store.apply(.membersLoaded(channelId: "c-general", members: [
            Member(user: alice, role: .owner, joinedAt: nil, online: true),
            Member(user: bob, role: .member, joinedAt: nil, online: false),
            Member(user: carol, role: .member, joinedAt: nil, online: true),
        ]))
        #expect(ChatSnapshot(state: store.state, server: "s", now: t0).members == [
            MemberSummary(name: "alice", isOnline: true), MemberSummary(name: "carol", isOnline: true), MemberSummary(name: "Bob", isOnline: false),
        ])
        store.apply(.event(.userStatus(UserStatus(userId: bob.id, status: .online, timestamp: t0)), at: t0))
        store.apply(.event(.userStatus(UserStatus(userId: carol.id, status: .offline, timestamp: t0)), at: t0))
        #expect(ChatSnapshot(state: store.state, server: "s", now: t0).members == [
            MemberSummary(name: "alice", isOnline: true), MemberSummary(name: "Bob", isOnline: true), MemberSummary(name: "carol", isOnline: false),
        ])
    }

    private func member(_ user: User) -> Member { Member(user: user, role: .member, joinedAt: nil, online: false) }

    @Test func directConversationsComeLastByPartnerWithTheirUsernames() {
        var store = store()
        store.apply(.membersLoaded(channelId: "c-dm-bob", members: [member(alice), member(bob)]))
        store.apply(.membersLoaded(channelId: "c-dm-carol", members: [member(alice), member(carol)]))
        let snapshot = ChatSnapshot(state: store.state, server: "s", now: t0)
        #expect(snapshot.channels.map(\.label) == ["#general", "*zeta", "@Bob", "@carol"])
        #expect(snapshot.channels.map(\.directWith) == [nil, nil, "Bob", "carol"])
    }

    /// A third user can make a channel named like alice and bob's conversation and add
    /// alice: it is listed as the private channel it is, not under Direct as `@Bob`.
    @Test func aChannelNamedLikeAConversationIsOneOnlyWithExactlyItsTwoMembers() {
        var store = store()
        let mallory = User(id: "u-mallory", username: "mallory", email: "")
        #expect(ChatSnapshot(state: store.state, server: "s", now: t0).channels.allSatisfy { $0.directWith == nil }, "members not known yet")
        store.apply(.membersLoaded(channelId: "c-dm-bob", members: [member(alice), member(mallory)]))
        store.apply(.membersLoaded(channelId: "c-dm-carol", members: [member(alice), member(carol), member(mallory)]))
        let snapshot = ChatSnapshot(state: store.state, server: "s", now: t0)
        #expect(snapshot.channels.map(\.label) == ["*dm-alice-bob", "*dm-alice-carol", "#general", "*zeta"])
    }
}
