import Foundation
import PythiaClient
import PythiaProtocol
import Testing

private typealias F = Fixtures

/// A channel we are added to while connected (a direct conversation someone opened with us):
/// what it held before our list knew of it is news, not old history.
@Suite struct ChatStoreAddedChannelTests {
    let direct = Channel(id: "c-dm", name: "dm-alice-bob", isPrivate: true, createdBy: "u-bob", memberCount: 2, isMember: true)

    @Test func theFirstPageOfAChannelWeWereAddedToCountsAsUnread() {
        var store = TestStore(F.store())
        // bob's first message arrives before our list has the channel: it is dropped, and the list refreshed.
        let first = F.message("m1", "got a minute, @alice?", in: direct)
        store.send(F.newMessage(first), effects: [.refreshChannels])
        // Named like a conversation of ours: its members will tell whether it is one.
        store.send(.channelsLoaded([F.random, F.general, direct]), effects: [.loadMembers(channelId: direct.id)]) {
            $0.channels.insert(ChannelState(channel: direct), at: 0)
            $0.update(direct.id) { $0.countsHistoryAsUnread = true }
        }
        let second = F.message("m2", "it is about the release", in: direct, at: 1)
        store.send(F.newMessage(second)) {
            $0.users[F.bob.id] = F.bob
            $0.update(direct.id) {
                $0.messages = [ChatMessage(message: second)]
                $0.unreadCount = 1
            }
        }
        let mine = F.message("m0", "earlier", by: F.alice, in: direct, at: -1)
        store.send(.historyLoaded(channelId: direct.id, messages: [mine, first, second], page: .latest(limit: 50))) {
            $0.update(direct.id) {
                $0.messages = [ChatMessage(message: mine), ChatMessage(message: first), ChatMessage(message: second)]
                $0.resumeAfterId = second.id
                $0.hasOlderHistory = false
                $0.countsHistoryAsUnread = false
                // Only bob's message not seen yet: ours is not news, the live one is counted.
                $0.unreadCount = 2
                $0.mentionCount = 1
            }
        }
    }

    @Test func channelsOfTheFirstListAreOldHistory() {
        var store = TestStore(ChatStore())
        store.send(.identified(F.alice)) {
            $0.me = F.alice
            $0.users[F.alice.id] = F.alice
        }
        store.send(.channelsLoaded([direct]), effects: [.loadMembers(channelId: direct.id)]) { $0.channels = [ChannelState(channel: direct)] }
        let first = F.message("m1", "hello", in: direct)
        store.send(.historyLoaded(channelId: direct.id, messages: [first], page: .latest(limit: 50))) {
            $0.users[F.bob.id] = F.bob
            $0.update(direct.id) {
                $0.messages = [ChatMessage(message: first)]
                $0.resumeAfterId = first.id
                $0.hasOlderHistory = false
            }
        }
    }
}
