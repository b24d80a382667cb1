import Foundation
import PythiaClient
import PythiaProtocol
import Testing

@Suite struct ChatStoreSessionTests {
    typealias F = Fixtures

    @Test func channelsAreListedByNameOnceAndKeepTheirMessagesOnRefresh() {
        var store = F.store()
        #expect(store.state.channels.map(\.channel.name) == ["general", "random"])
        store.apply(F.newMessage(F.message("m1", at: 1)))
        var renamed = F.general
        renamed.memberCount = 7
        let zeta = Channel(id: "c-z", name: "Zeta", createdBy: "u-bob")
        store.apply(.channelsLoaded([zeta, renamed, renamed, F.random]))
        #expect(store.state.channels.map(\.channel.name) == ["general", "random", "Zeta"])
        #expect(store.state[channelId: F.general.id]?.messageIds == ["m1"])
        #expect(store.state[channelId: F.general.id]?.channel.memberCount == 7)
        store.apply(.channelsLoaded([F.random]))
        #expect(store.state.selectedChannelId == nil)
        #expect(store.state.channel(named: "#Random")?.id == F.random.id)
    }

    @Test func channelUpdatesAndRemovals() {
        var store = F.store()
        let new = Channel(id: "c-a", name: "aaa", createdBy: "u-alice")
        store.apply(.channelUpdated(new))
        #expect(store.state.channels.first?.id == "c-a")
        store.apply(.channelRemoved(channelId: F.general.id))
        #expect(store.state[channelId: F.general.id] == nil)
        #expect(store.state.selectedChannelId == nil)
    }

    @Test func connectionEstablishedIdentifiesUsAndKeepsTheKnownEmail() {
        var store = F.store()
        let event = ServerEvent.connectionEstablished(ConnectionEstablished(userId: F.alice.id, username: "alice", timestamp: F.t0))
        store.apply(.event(event, at: F.t0))
        #expect(store.state.me == F.alice)
        var fresh = ChatStore()
        fresh.apply(.event(event, at: F.t0))
        #expect(fresh.state.me?.username == "alice")
        #expect(fresh.state.displayName(of: F.alice.id) == "alice")
        #expect(fresh.state.displayName(of: "u-nobody") == "u-nobody")
    }

    @Test func typingExpiresLocallyAfterSixSecondsAndOnAMessage() {
        var store = F.store()
        func typing(_ user: User, _ isTyping: Bool, at seconds: Double) -> [ChatEffect] {
            let at = F.t0.addingTimeInterval(seconds)
            return store.apply(.event(.typingIndicator(TypingIndicator(userId: user.id, channelId: F.general.id, isTyping: isTyping, timestamp: at)), at: at))
        }
        #expect(typing(F.bob, true, at: 0) == [.loadUser(userId: F.bob.id)])
        #expect(store.state[channelId: F.general.id]?.typingUserIds(at: F.t0.addingTimeInterval(5.9)) == [F.bob.id])
        #expect(store.state[channelId: F.general.id]?.typingUserIds(at: F.t0.addingTimeInterval(6.1)) == [])
        store.apply(.tick(F.t0.addingTimeInterval(7)))
        #expect(store.state[channelId: F.general.id]?.typing.isEmpty == true)
        _ = typing(F.bob, true, at: 10)
        _ = typing(F.bob, false, at: 11)
        #expect(store.state[channelId: F.general.id]?.typing.isEmpty == true)
        _ = typing(F.bob, true, at: 12)
        store.apply(F.newMessage(F.message("m1", at: 12.5)))
        #expect(store.state[channelId: F.general.id]?.typing.isEmpty == true)
        _ = typing(F.alice, true, at: 13)
        #expect(store.state[channelId: F.general.id]?.typing.isEmpty == true)
        _ = typing(F.bob, true, at: 14)
        store.apply(.connectionChanged(.reconnecting(in: .seconds(1), attempt: 1)))
        #expect(store.state[channelId: F.general.id]?.typing.isEmpty == true)
        #expect(store.state.connection == .reconnecting(in: .seconds(1), attempt: 1))
    }

    @Test func presenceFollowsStatusOnlineUsersAndMembers() {
        var store = F.store()
        store.apply(.membersLoaded(channelId: F.general.id, members: [
            Member(user: F.alice, role: .owner, joinedAt: nil, online: true),
            Member(user: F.bob, role: .member, joinedAt: nil, online: false),
        ]))
        #expect(store.state.isOnline(F.alice.id))
        #expect(!store.state.isOnline(F.bob.id))
        store.apply(.event(.userStatus(UserStatus(userId: F.bob.id, status: .online, timestamp: F.t0)), at: F.t0))
        #expect(store.state.isOnline(F.bob.id))
        #expect(store.state[channelId: F.general.id]?.members?[F.bob.id]?.online == true)
        store.apply(.event(.onlineUsers(OnlineUsers(channelId: F.general.id, users: [F.alice.id], timestamp: F.t0)), at: F.t0))
        #expect(!store.state.isOnline(F.bob.id))
        let unknown = store.apply(.event(.userStatus(UserStatus(userId: "u-carol", status: .online, timestamp: F.t0)), at: F.t0))
        #expect(unknown == [.loadUser(userId: "u-carol")])
    }

    @Test func membershipChangesReloadMembersOrTheChannelList() {
        var store = F.store()
        let join = ServerEvent.userJoined(MembershipChange(userId: "u-carol", channelId: F.general.id, timestamp: F.t0))
        #expect(store.apply(.event(join, at: F.t0)) == [.loadUser(userId: "u-carol")])
        store.apply(.membersLoaded(channelId: F.general.id, members: [Member(user: F.alice, role: .owner, joinedAt: nil, online: true)]))
        store.apply(.userLoaded(User(id: "u-carol", username: "carol", email: "")))
        #expect(store.apply(.event(join, at: F.t0)) == [.loadMembers(channelId: F.general.id)])
        let meLeft = ServerEvent.userLeft(MembershipChange(userId: F.alice.id, channelId: F.general.id, timestamp: F.t0))
        #expect(store.apply(.event(meLeft, at: F.t0)) == [.refreshChannels])
    }

    @Test func mentionsCountAndRaiseANoticeOnlyOutsideTheViewedChannel() {
        var store = F.store()
        func mention(in channel: Channel) {
            let data = Mention(messageId: "m1", channelId: channel.id, content: "@alice hi", fromUserId: F.bob.id, fromUsername: "bob")
            store.apply(.event(.mentionNotification(MentionNotification(data: data, timestamp: F.t0)), at: F.t0))
        }
        mention(in: F.general)
        #expect(store.state.notices.isEmpty)
        mention(in: F.random)
        #expect(store.state[channelId: F.general.id]?.mentionCount == 0)
        #expect(store.state[channelId: F.random.id]?.mentionCount == 1)
        #expect(store.state.notices.last?.text == "bob mentioned you in #random")
    }

    @Test func errorFramesBecomeNoticesAndNoticesAreBounded() {
        var store = F.store()
        let error = ErrorEvent(errorCode: .accessDenied, message: "Access denied to channel", details: "not a member")
        store.apply(.event(.error(error), at: F.t0))
        #expect(store.state.notices.last?.level == .error)
        #expect(store.state.notices.last?.text == "Access denied to channel: not a member")
        for index in 0..<30 { store.apply(.notice(.info, "n\(index)", at: F.t0)) }
        #expect(store.state.notices.count == ChatState.maxNotices)
        #expect(store.state.notices.last?.text == "n29")
        #expect(Set(store.state.notices.map(\.id)).count == ChatState.maxNotices)
        store.apply(.clearNotices)
        #expect(store.state.notices.isEmpty)
    }

    @Test func unknownAndAcknowledgementFramesChangeNothing() {
        var store = F.store()
        let before = store.state
        for event in [
            ServerEvent.unknown(type: "channel_archived"), .pong(Pong(timestamp: F.t0)),
            .channelJoined(ChannelAck(channelId: F.general.id, timestamp: F.t0)),
            .channelLeft(ChannelAck(channelId: F.general.id, timestamp: F.t0)),
        ] {
            #expect(store.apply(.event(event, at: F.t0)) == [])
        }
        #expect(store.state == before)
    }
}
