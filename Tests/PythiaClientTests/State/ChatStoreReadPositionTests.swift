import Foundation
import PythiaClient
import PythiaProtocol
import Testing

/// The last-read message of each channel, and the read marker that starts from it.
@Suite struct ChatStoreReadPositionTests {
    typealias F = Fixtures

    /// random read up to r1, left; r2 and r3 arrive; opening it again puts the marker after r1.
    @Test func theMarkerGoesAfterTheLastReadMessageWhenTheChannelIsOpenedAndClearingMovesIt() {
        var test = TestStore(F.store(receiving: [F.message("r1", in: F.random, at: 1)]))
        test.send(.markRead(channelId: F.random.id), effects: [.saveReadPositions]) { $0.lastRead[F.random.id] = "r1" }
        // Marking again changes nothing and saves nothing.
        test.send(.markRead(channelId: F.random.id))
        var store = test.store
        store.apply(F.newMessage(F.message("r2", "hi @alice", in: F.random, at: 2)))
        store.apply(F.newMessage(F.message("r3", in: F.random, at: 3)))
        #expect(store.state[channelId: F.random.id]?.unreadCount == 3)
        test = TestStore(store)
        test.send(.select(channelId: F.random.id), effects: [.loadMembers(channelId: F.random.id)]) { state in
            state.selectedChannelId = F.random.id
            state.channels[1].unreadCount = 0
            state.channels[1].readMarkerAfterId = "r1"
        }
        #expect(test.state[channelId: F.random.id]?.firstUnreadIndex == 1)
        // Selecting the channel already shown (a resync) leaves the marker.
        test.send(.select(channelId: F.random.id), effects: [.loadMembers(channelId: F.random.id)])
        test.send(.readMarkerCleared(channelId: F.random.id), effects: [.saveReadPositions]) { state in
            state.channels[1].readMarkerAfterId = nil
            state.lastRead[F.random.id] = "r3"
        }
        #expect(test.state[channelId: F.random.id]?.firstUnreadIndex == nil)
    }

    @Test func noMarkerWhenNothingCameAfterTheLastReadMessage() {
        var store = F.store(receiving: [F.message("r1", in: F.random, at: 1)])
        store.apply(.readPositionsRestored([F.random.id: "r1"]))
        store.apply(.select(channelId: F.random.id))
        #expect(store.state[channelId: F.random.id]?.readMarkerAfterId == "r1")
        #expect(store.state[channelId: F.random.id]?.firstUnreadIndex == nil)
    }

    /// After a restart: the positions read from the file, then the gap after them fetched
    /// with `after=` counts as unread, mentions included.
    @Test func restoredPositionsCountWhatCameAfterThem() {
        var test = TestStore(F.store())
        test.send(.readPositionsRestored([F.random.id: "r1", F.general.id: "g1"])) { state in
            state.lastRead = [F.random.id: "r1", F.general.id: "g1"]
        }
        // A position already known wins over the file's.
        test.send(.readPositionsRestored([F.random.id: "old"]))
        var store = test.store
        store.apply(.historyLoaded(channelId: F.random.id, messages: [
            F.message("r2", "@alice look", in: F.random, at: 2), F.message("r3", in: F.random, at: 3),
            F.message("r4", "mine", by: F.alice, in: F.random, at: 4),
        ], page: .newer))
        #expect(store.state[channelId: F.random.id]?.unreadCount == 2)
        #expect(store.state[channelId: F.random.id]?.mentionCount == 1)
    }
}
