import Foundation
import PythiaClient
import PythiaProtocol
import Testing

/// Where a reconnecting client pages forward from: never past a message it has not seen.
@Suite struct ChatStoreResumeTests {
    typealias F = Fixtures

    /// A store whose #general holds `m1`…`m3` from a catch-up, connected and live.
    private func caughtUpStore() -> ChatStore {
        var store = F.store()
        store.apply(.connectionChanged(.connected))
        let page = (1...3).map { F.message("m\($0)", at: Double($0)) }
        store.apply(.historyLoaded(channelId: F.general.id, messages: page, page: .latest(limit: 50)))
        store.apply(.caughtUp(channelId: F.general.id))
        return store
    }

    private func general(_ store: ChatStore) -> ChannelState? { store.state[channelId: F.general.id] }

    @Test func historyAndTheUnbrokenStreamMoveTheResumePoint() {
        var store = caughtUpStore()
        #expect(general(store)?.resumeAfterId == "m3")
        store.apply(F.newMessage(F.message("m4", at: 4)))
        #expect(general(store)?.resumeAfterId == "m4")
        #expect(general(store)?.resumeAnchors == ["m4", "m3", "m2", "m1"])
        store.apply(.historyLoaded(channelId: F.general.id, messages: [F.message("m0", at: 0)], page: .older(limit: 50)))
        #expect(general(store)?.resumeAfterId == "m4", "an older page says nothing about the newest")
    }

    @Test func ourPostAcknowledgedDuringAnOutageDoesNotHideWhatOthersPostedBeforeIt() {
        var store = caughtUpStore()
        store.apply(.outboxQueued(clientId: "k1", channelId: F.general.id, content: "while down", at: F.t0))
        store.apply(.connectionChanged(.reconnecting(in: .seconds(2), attempt: 1)))
        // Bob posted m4 meanwhile; our post, stored after it, is acknowledged over REST first.
        store.apply(.outboxDelivered(clientId: "k1", message: F.message("m5", "while down", by: F.alice, at: 5)))
        #expect(general(store)?.messageIds == ["m1", "m2", "m3", "m5"])
        #expect(general(store)?.resumeAfterId == "m3")
    }

    @Test func theStreamAfterAReconnectWaitsForTheCatchUp() {
        var store = caughtUpStore()
        store.apply(.connectionChanged(.reconnecting(in: .seconds(1), attempt: 1)))
        store.apply(.connectionChanged(.connected))
        // A live frame beats the catch-up: m4 and m5 were posted while we were away.
        store.apply(F.newMessage(F.message("m6", at: 6)))
        #expect(general(store)?.resumeAfterId == "m3")
        let gap = [F.message("m4", at: 4), F.message("m5", at: 5), F.message("m6", at: 6)]
        store.apply(.historyLoaded(channelId: F.general.id, messages: gap, page: .newer))
        store.apply(.caughtUp(channelId: F.general.id))
        #expect(general(store)?.messageIds == ["m1", "m2", "m3", "m4", "m5", "m6"])
        store.apply(F.newMessage(F.message("m7", at: 7)))
        #expect(general(store)?.resumeAfterId == "m7")
    }

    @Test func deletingTheResumePointFallsBackToItsPredecessor() {
        var store = caughtUpStore()
        store.apply(.event(.messageDeleted(MessageDeleted(messageId: "m3", channelId: F.general.id, timestamp: F.t0)), at: F.t0))
        #expect(general(store)?.resumeAfterId == "m2")
        store.apply(.messageRemoved(messageId: "m1"))
        store.apply(.messageRemoved(messageId: "m2"))
        #expect(general(store)?.resumeAfterId == nil)
        #expect(general(store)?.resumeAnchors == [])
    }
}
