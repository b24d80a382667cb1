import Foundation
import PythiaClient
import PythiaProtocol
import Testing

/// Every server event through the store, each step's whole state change and effects
/// stated, repeats and out-of-order arrivals included.
@Suite struct ChatStoreEventTests {
    typealias F = Fixtures
    let general = F.general.id
    let random = F.random.id

    private func event(_ event: ServerEvent, at seconds: Double = 0) -> ChatAction {
        .event(event, at: F.t0.addingTimeInterval(seconds))
    }

    @Test func connectionEstablishedSaysWhoWeAreAndKeepsWhatIsKnown() {
        var fresh = TestStore()
        let established = event(.connectionEstablished(ConnectionEstablished(userId: F.alice.id, username: "alice", timestamp: F.t0)))
        let bare = User(id: F.alice.id, username: "alice", email: "")
        fresh.send(established) {
            $0.me = bare
            $0.users[F.alice.id] = bare
        }
        fresh.send(established)
        #expect(fresh.state.displayName(of: F.alice.id) == "alice")
        #expect(fresh.state.displayName(of: "u-nobody") == "u-nobody")
        // With the account known (from `GET /auth/me`), its e-mail stays.
        var known = TestStore(F.store())
        known.send(established)
    }

    @Test func newMessagesKeepTheServersOrderWhateverTheArrivalOrderAndCountOnce() {
        var store = TestStore(F.store())
        let second = F.message("m2", "second", in: F.random, at: 2)
        let first = F.message("m1", "first", in: F.random, at: 1)
        store.send(F.newMessage(second)) {
            $0.users[F.bob.id] = F.bob
            $0.update(random) {
                $0.messages = [ChatMessage(message: second)]
                $0.unreadCount = 1
            }
        }
        store.send(F.newMessage(first)) {
            $0.update(random) {
                $0.messages.insert(ChatMessage(message: first), at: 0)
                $0.unreadCount = 2
            }
        }
        store.send(F.newMessage(second))
        store.send(F.newMessage(first))
        // In the channel being viewed nothing is unread, and the author stops typing.
        store.send(event(.typingIndicator(TypingIndicator(userId: F.bob.id, channelId: general, isTyping: true, timestamp: F.t0)))) {
            $0.update(general) { $0.typing[F.bob.id] = F.t0.addingTimeInterval(6) }
        }
        let here = F.message("m3", "here", at: 3)
        store.send(F.newMessage(here)) {
            $0.update(general) {
                $0.messages = [ChatMessage(message: here)]
                $0.typing = [:]
            }
        }
        // A channel we do not know yet: the list is fetched again.
        store.send(F.newMessage(F.message("m4", in: Channel(id: "c-new", name: "new", createdBy: F.bob.id))), effects: [.refreshChannels])
    }

    @Test func anUnbrokenStreamMovesTheResumePoint() {
        var store = TestStore(F.store())
        let m1 = F.message("m1", at: 1)
        store.send(.caughtUp(channelId: general)) {
            $0.update(general) { $0.isCaughtUp = true }
        }
        store.send(F.newMessage(m1)) {
            $0.users[F.bob.id] = F.bob
            $0.update(general) {
                $0.messages = [ChatMessage(message: m1)]
                $0.resumeAfterId = "m1"
            }
        }
    }

    @Test func editsReplaceTheTextKeepReactionsAndWaitForTheirMessage() {
        var store = TestStore(F.store())
        let original = F.message("m1", "hello", at: 1)
        var edited = original
        edited.content = "hello, edited"
        edited.updatedAt = original.createdAt + 5
        // An edit of a message not here yet (out of order) changes nothing.
        store.send(event(.messageUpdated(MessageEvent(data: edited, timestamp: F.t0))))
        var withReaction = original
        withReaction.reactions = [ReactionSummary(emoji: "👍", count: 1, userIds: [F.alice.id])]
        store.send(.historyLoaded(channelId: general, messages: [withReaction], page: .latest(limit: 50))) {
            $0.users[F.bob.id] = F.bob
            $0.update(general) {
                $0.messages = [ChatMessage(message: withReaction)]
                $0.hasOlderHistory = false
                $0.resumeAfterId = "m1"
            }
        }
        store.send(event(.messageUpdated(MessageEvent(data: edited, timestamp: F.t0)))) {
            $0.update(general) {
                $0.messages[0].message.content = "hello, edited"
                $0.messages[0].message.updatedAt = edited.updatedAt
            }
        }
        store.send(event(.messageUpdated(MessageEvent(data: edited, timestamp: F.t0))))
    }

    @Test func deletionsRemoveTheMessageAndRepeatsOrUnknownIdsChangeNothing() {
        let m1 = F.message("m1", at: 1)
        var store = TestStore(F.store(receiving: [m1]))
        let deleted = event(.messageDeleted(MessageDeleted(messageId: "m1", channelId: general, timestamp: F.t0)))
        store.send(deleted) {
            $0.update(general) { $0.messages = [] }
        }
        store.send(deleted)
        store.send(event(.messageDeleted(MessageDeleted(messageId: "m9", channelId: random, timestamp: F.t0))))
    }

    @Test func reactionsAggregatePerEmojiAndRepeatsChangeNothing() {
        let m1 = F.message("m1", at: 1)
        var store = TestStore(F.store(receiving: [m1]))
        func reaction(_ user: User, _ action: ReactionAction, channelId: String? = F.general.id) -> ChatAction {
            let change = ReactionChange(emoji: "👍", userId: user.id, username: user.username, action: action)
            return .event(.messageReaction(MessageReaction(messageId: "m1", channelId: channelId, data: change, timestamp: F.t0)), at: F.t0)
        }
        store.send(reaction(F.bob, .add)) {
            $0.update(general) { $0.messages[0].message.reactions = [ReactionSummary(emoji: "👍", count: 1, userIds: [F.bob.id])] }
        }
        store.send(reaction(F.bob, .add))
        // From a server that does not name the channel; carol is learnt by name.
        let carol = User(id: "u-carol", username: "carol", email: "")
        store.send(reaction(carol, .add, channelId: nil)) {
            $0.users[carol.id] = carol
            $0.update(general) { $0.messages[0].message.reactions = [ReactionSummary(emoji: "👍", count: 2, userIds: [F.bob.id, carol.id])] }
        }
        store.send(reaction(F.bob, .remove)) {
            $0.update(general) { $0.messages[0].message.reactions = [ReactionSummary(emoji: "👍", count: 1, userIds: [carol.id])] }
        }
        store.send(reaction(F.bob, .remove))
        store.send(reaction(carol, .remove)) {
            $0.update(general) { $0.messages[0].message.reactions = [] }
        }
    }

    @Test func typingShowsForSixSecondsIgnoresUsAndAsksWhoAStrangerIs() {
        var store = TestStore(F.store())
        let bobTyping = event(.typingIndicator(TypingIndicator(userId: F.bob.id, channelId: general, isTyping: true, timestamp: F.t0)))
        store.send(bobTyping, effects: [.loadUser(userId: F.bob.id)]) {
            $0.update(general) { $0.typing[F.bob.id] = F.t0.addingTimeInterval(6) }
        }
        store.send(.userLoaded(F.bob)) { $0.users[F.bob.id] = F.bob }
        // A repeat, later: the indicator lasts from the latest.
        store.send(.event(.typingIndicator(TypingIndicator(userId: F.bob.id, channelId: general, isTyping: true, timestamp: F.t0)), at: F.t0 + 2)) {
            $0.update(general) { $0.typing[F.bob.id] = F.t0.addingTimeInterval(8) }
        }
        store.send(event(.typingIndicator(TypingIndicator(userId: F.alice.id, channelId: general, isTyping: true, timestamp: F.t0))))
        let stopped = event(.typingIndicator(TypingIndicator(userId: F.bob.id, channelId: general, isTyping: false, timestamp: F.t0)))
        store.send(stopped) {
            $0.update(general) { $0.typing = [:] }
        }
        store.send(stopped)
    }

    @Test func presenceFollowsStatusFramesAndTheOnlineList() {
        var store = TestStore(F.store())
        store.send(.membersLoaded(channelId: general, members: [
            Member(user: F.alice, role: .owner, joinedAt: nil, online: true),
            Member(user: F.bob, role: .member, joinedAt: nil, online: false),
        ])) {
            $0.users[F.bob.id] = F.bob
            $0.presence = [F.alice.id: .online, F.bob.id: .offline]
            $0.update(general) {
                $0.members = [
                    F.alice.id: Member(user: F.alice, role: .owner, joinedAt: nil, online: true),
                    F.bob.id: Member(user: F.bob, role: .member, joinedAt: nil, online: false),
                ]
            }
        }
        let bobOnline = event(.userStatus(UserStatus(userId: F.bob.id, status: .online, timestamp: F.t0)))
        store.send(bobOnline) {
            $0.presence[F.bob.id] = .online
            $0.update(general) { $0.members?[F.bob.id]?.online = true }
        }
        store.send(bobOnline)
        store.send(event(.typingIndicator(TypingIndicator(userId: F.bob.id, channelId: random, isTyping: true, timestamp: F.t0)))) {
            $0.update(random) { $0.typing[F.bob.id] = F.t0.addingTimeInterval(6) }
        }
        // Going offline ends typing everywhere.
        store.send(event(.userStatus(UserStatus(userId: F.bob.id, status: .offline, timestamp: F.t0)))) {
            $0.presence[F.bob.id] = .offline
            $0.update(general) { $0.members?[F.bob.id]?.online = false }
            $0.update(random) { $0.typing = [:] }
        }
        store.send(event(.userStatus(UserStatus(userId: "u-carol", status: .online, timestamp: F.t0))), effects: [.loadUser(userId: "u-carol")]) {
            $0.presence["u-carol"] = .online
        }
        // The online list: members not in it are offline.
        store.send(event(.onlineUsers(OnlineUsers(channelId: general, users: [F.bob.id], timestamp: F.t0)))) {
            $0.presence[F.alice.id] = .offline
            $0.presence[F.bob.id] = .online
            $0.update(general) {
                $0.members?[F.alice.id]?.online = false
                $0.members?[F.bob.id]?.online = true
            }
        }
    }

    @Test func membershipChangesAskForWhatTheyMakeStale() {
        var store = TestStore(F.store())
        let carolJoined = event(.userJoined(MembershipChange(userId: "u-carol", channelId: general, timestamp: F.t0)))
        store.send(carolJoined, effects: [.loadUser(userId: "u-carol")])
        store.send(.membersLoaded(channelId: general, members: [Member(user: F.alice, role: .owner, joinedAt: nil, online: true)])) {
            $0.presence[F.alice.id] = .online
            $0.update(general) {
                $0.members = [F.alice.id: Member(user: F.alice, role: .owner, joinedAt: nil, online: true)]
                $0.channel.memberCount = 1
            }
        }
        store.send(carolJoined, effects: [.loadMembers(channelId: general), .loadUser(userId: "u-carol")])
        store.send(event(.userLeft(MembershipChange(userId: "u-carol", channelId: general, timestamp: F.t0))),
                   effects: [.loadMembers(channelId: general), .loadUser(userId: "u-carol")])
        // Our own membership changed from another terminal.
        store.send(event(.userLeft(MembershipChange(userId: F.alice.id, channelId: random, timestamp: F.t0))), effects: [.refreshChannels])
        store.send(event(.userJoined(MembershipChange(userId: F.alice.id, channelId: "c-new", timestamp: F.t0))), effects: [.refreshChannels])
    }

    @Test func mentionsCountAndTellOnlyOutsideTheViewedChannel() {
        var store = TestStore(F.store())
        func mention(in channelId: String) -> ChatAction {
            let data = Mention(messageId: "m1", channelId: channelId, content: "@alice hi", fromUserId: F.bob.id, fromUsername: "bob")
            return .event(.mentionNotification(MentionNotification(data: data, timestamp: F.t0)), at: F.t0)
        }
        store.send(mention(in: general))
        store.send(mention(in: random)) {
            $0.update(random) { $0.mentionCount = 1 }
            $0.notices = [Notice(id: 1, level: .info, text: "bob mentioned you in #random", at: F.t0)]
        }
        store.send(mention(in: "c-unknown")) {
            $0.notices.append(Notice(id: 2, level: .info, text: "bob mentioned you in a channel", at: F.t0))
        }
    }

    @Test func errorFramesBecomeNotices() {
        var store = TestStore(F.store())
        store.send(event(.error(ErrorEvent(errorCode: .accessDenied, message: "Access denied to channel", details: "not a member")))) {
            $0.notices = [Notice(id: 1, level: .error, text: "Access denied to channel: not a member", at: F.t0)]
        }
        store.send(event(.error(ErrorEvent(errorCode: .rateLimited, message: "")))) {
            $0.notices.append(Notice(id: 2, level: .error, text: "rate_limited", at: F.t0))
        }
    }

    @Test func acknowledgementsPongsAndUnknownFramesChangeNothing() {
        var store = TestStore(F.store())
        store.send(event(.channelJoined(ChannelAck(channelId: general, timestamp: F.t0))))
        store.send(event(.channelLeft(ChannelAck(channelId: general, timestamp: F.t0))))
        store.send(event(.pong(Pong(timestamp: F.t0))))
        store.send(event(.unknown(type: "channel_archived")))
    }
}
