import Foundation
import PythiaClient
import PythiaProtocol
import Testing

/// Every ``ChatAction`` but the outbox's (``ChatStoreOutboxTests``) and server events
/// (``ChatStoreEventTests``) through the store, each step's whole state change and effects stated.
@Suite struct ChatStoreActionTests {
    typealias F = Fixtures
    let general = F.general.id
    let random = F.random.id

    @Test func aFreshStoreLearnsWhoWeAreAndOurChannels() {
        var store = TestStore()
        store.send(.identified(F.alice)) {
            $0.me = F.alice
            $0.users[F.alice.id] = F.alice
        }
        store.send(.identified(F.alice))
        // Listed by name, each once.
        store.send(.channelsLoaded([F.random, F.general, F.random])) {
            $0.channels = [ChannelState(channel: F.general), ChannelState(channel: F.random)]
        }
        store.send(.select(channelId: general), effects: [.loadMembers(channelId: general)]) {
            $0.selectedChannelId = general
        }
        store.send(.select(channelId: "c-unknown"))
        #expect(store.state.channel(named: "#Random")?.id == F.random.id)
        #expect(store.state.channel(named: "general")?.id == F.general.id)
    }

    @Test func aNewChannelListKeepsWhatIsLoadedAndForgetsTheRest() {
        let m1 = F.message("m1", at: 1)
        var store = TestStore(F.store(receiving: [m1]))
        var renamed = F.general
        renamed.memberCount = 7
        let zeta = Channel(id: "c-z", name: "Zeta", createdBy: F.bob.id)
        store.send(.channelsLoaded([zeta, renamed, F.random])) {
            $0.update(general) { $0.channel = renamed }
            // New beside others: we were added to it, so its history so far is news.
            var added = ChannelState(channel: zeta)
            added.countsHistoryAsUnread = true
            $0.channels.append(added)
        }
        store.send(.channelsLoaded([F.random])) {
            $0.channels = [ChannelState(channel: F.random)]
            $0.selectedChannelId = nil
        }
    }

    @Test func oneChannelIsAddedRefreshedOrRemoved() {
        var store = TestStore(F.store())
        let early = Channel(id: "c-a", name: "aaa", createdBy: F.alice.id)
        store.send(.channelUpdated(early)) {
            $0.channels.insert(ChannelState(channel: early), at: 0)
        }
        var described = early
        described.description = "first of all"
        store.send(.channelUpdated(described)) {
            $0.channels[0].channel = described
        }
        store.send(.channelRemoved(channelId: general)) {
            $0.channels.removeAll { $0.id == F.general.id }
            $0.selectedChannelId = nil
        }
        store.send(.channelRemoved(channelId: general))
    }

    @Test func theConnectionStateIsShownAndALostConnectionEndsTypingAndTheCatchUp() {
        var store = TestStore(F.store())
        store.send(.connectionChanged(.connecting)) { $0.connection = .connecting }
        store.send(.connectionChanged(.connected)) { $0.connection = .connected }
        store.send(.caughtUp(channelId: general)) {
            $0.update(general) { $0.isCaughtUp = true }
        }
        store.send(.event(.typingIndicator(TypingIndicator(userId: F.bob.id, channelId: random, isTyping: true, timestamp: F.t0)), at: F.t0),
                   effects: [.loadUser(userId: F.bob.id)]) {
            $0.update(random) { $0.typing[F.bob.id] = F.t0.addingTimeInterval(6) }
        }
        // A repeat of the same state changes nothing.
        store.send(.connectionChanged(.connected))
        store.send(.connectionChanged(.reconnecting(in: .seconds(1), attempt: 1))) {
            $0.connection = .reconnecting(in: .seconds(1), attempt: 1)
            $0.update(general) { $0.isCaughtUp = false }
            $0.update(random) { $0.typing = [:] }
        }
        store.send(.connectionChanged(.failed(.unauthorized))) { $0.connection = .failed(.unauthorized) }
    }

    @Test func historyPagesMergeWithWhatIsLoadedEachMessageOnce() {
        var store = TestStore(F.store())
        let page = (1...3).map { F.message("m\($0)", at: Double($0)) }
        store.send(.historyLoaded(channelId: general, messages: page, page: .latest(limit: 3))) {
            $0.users[F.bob.id] = F.bob
            $0.update(general) {
                $0.messages = MessageLog(page.map { ChatMessage(message: $0) })
                $0.resumeAfterId = "m3"
            }
        }
        // The same page again (a reconnect that raced) changes nothing.
        store.send(.historyLoaded(channelId: general, messages: page, page: .latest(limit: 3)))
        store.send(.loadingOlder(channelId: general)) {
            $0.update(general) { $0.isLoadingOlder = true }
        }
        let older = F.message("m0", at: 0)
        store.send(.historyLoaded(channelId: general, messages: [older], page: .older(limit: 3))) {
            $0.update(general) {
                $0.messages.insert(ChatMessage(message: older), at: 0)
                $0.hasOlderHistory = false
                $0.isLoadingOlder = false
            }
        }
        store.send(.loadingOlder(channelId: general)) {
            $0.update(general) { $0.isLoadingOlder = true }
        }
        store.send(.loadingOlderFailed(channelId: general)) {
            $0.update(general) { $0.isLoadingOlder = false }
        }
        // The gap after a reconnect: new messages count as unread, mentions by their text;
        // a page that overlaps what is here counts nothing twice.
        let gap = [F.message("r1", "hello @alice", in: F.random, at: 5), F.message("r2", in: F.random, at: 6)]
        store.send(.historyLoaded(channelId: random, messages: gap, page: .newer)) {
            $0.update(random) {
                $0.messages = MessageLog(gap.map { ChatMessage(message: $0) })
                $0.resumeAfterId = "r2"
                $0.unreadCount = 2
                $0.mentionCount = 1
            }
        }
        store.send(.historyLoaded(channelId: random, messages: gap, page: .newer))
        // A page for a channel we do not have is ignored; another channel's messages in a
        // page are left out (this older page is then empty: nothing older remains).
        store.send(.historyLoaded(channelId: "c-gone", messages: page, page: .newer))
        store.send(.historyLoaded(channelId: random, messages: page, page: .older(limit: 3))) {
            $0.update(random) { $0.hasOlderHistory = false }
        }
    }

    @Test func membersAndUsersAreRemembered() {
        var store = TestStore(F.store())
        let carol = User(id: "u-carol", username: "carol", email: "carol@example.com")
        store.send(.userLoaded(carol)) { $0.users[carol.id] = carol }
        // A user embedded in a message has no e-mail: what is known stays.
        let bareCarol = User(id: carol.id, username: "carol", email: "")
        let m1 = F.message("m1", by: bareCarol, at: 1)
        store.send(F.newMessage(m1)) {
            $0.update(general) { $0.messages = [ChatMessage(message: m1)] }
        }
        let members = [
            Member(user: carol, role: .member, joinedAt: F.t0, online: true), Member(user: F.alice, role: .owner, joinedAt: F.t0, online: false),
        ]
        store.send(.membersLoaded(channelId: random, members: members)) {
            $0.presence = [carol.id: .online, F.alice.id: .offline]
            $0.update(random) { $0.members = [carol.id: members[0], F.alice.id: members[1]] }
        }
    }

    @Test func selectingAChannelClearsItsCountsAndLoadsItsMembersOnce() {
        var store = TestStore(F.store())
        let r1 = F.message("r1", in: F.random, at: 1)
        store.send(F.newMessage(r1)) {
            $0.users[F.bob.id] = F.bob
            $0.update(random) {
                $0.messages = [ChatMessage(message: r1)]
                $0.unreadCount = 1
            }
        }
        store.send(.select(channelId: random), effects: [.loadMembers(channelId: random)]) {
            $0.selectedChannelId = random
            $0.update(random) { $0.unreadCount = 0 }
        }
        store.send(.membersLoaded(channelId: random, members: [])) {
            $0.update(random) {
                $0.members = [:]
                $0.channel.memberCount = 0
            }
        }
        store.send(.select(channelId: random))
    }

    @Test func ourEditsReactionsAndDeletionsApplyAtOnce() {
        var store = TestStore(F.store())
        let mine = F.message("m1", "draft", by: F.alice, at: 1)
        store.send(F.newMessage(mine)) {
            $0.update(general) { $0.messages = [ChatMessage(message: mine)] }
        }
        var edited = mine
        edited.content = "final"
        edited.updatedAt = mine.createdAt + 1
        edited.reactions = [ReactionSummary(emoji: "🎉", count: 1, userIds: [F.bob.id])]
        // The REST answer is the whole message, reactions included.
        store.send(.messageChanged(edited)) {
            $0.update(general) { $0.messages[0].message = edited }
        }
        store.send(.messageChanged(edited))
        store.send(.messageChanged(F.message("m-unknown", at: 2)))
        store.send(.messageRemoved(messageId: "m1")) {
            $0.update(general) { $0.messages = [] }
        }
        store.send(.messageRemoved(messageId: "m1"))
    }

    @Test func theClockExpiresTypingIndicators() {
        var store = TestStore(F.store())
        store.send(.userLoaded(F.bob)) { $0.users[F.bob.id] = F.bob }
        store.send(.event(.typingIndicator(TypingIndicator(userId: F.bob.id, channelId: general, isTyping: true, timestamp: F.t0)), at: F.t0)) {
            $0.update(general) { $0.typing[F.bob.id] = F.t0.addingTimeInterval(6) }
        }
        store.send(.tick(F.t0.addingTimeInterval(5.9)))
        store.send(.tick(F.t0.addingTimeInterval(6))) {
            $0.update(general) { $0.typing = [:] }
        }
        store.send(.tick(F.t0.addingTimeInterval(7)))
    }

    @Test func noticesAreNumberedBoundedAndCleared() {
        var store = TestStore(F.store())
        store.send(.notice(.error, "first", at: F.t0)) {
            $0.notices = [Notice(id: 1, level: .error, text: "first", at: F.t0)]
        }
        for index in 2...ChatState.maxNotices {
            store.send(.notice(.info, "n\(index)", at: F.t0)) {
                $0.notices.append(Notice(id: index, level: .info, text: "n\(index)", at: F.t0))
            }
        }
        // The oldest goes when one more comes.
        let next = ChatState.maxNotices + 1
        store.send(.notice(.info, "n\(next)", at: F.t0)) {
            $0.notices.removeFirst()
            $0.notices.append(Notice(id: next, level: .info, text: "n\(next)", at: F.t0))
        }
    }
}
