import Foundation
import PythiaClient
import PythiaProtocol
import Testing

@Suite struct ChatStoreOutboxTests {
    typealias F = Fixtures

    @Test func aSentMessageIsPendingAtOnceThenDeliveredOnce() {
        var store = F.store()
        store.apply(.outboxQueued(clientId: "k1", channelId: F.general.id, content: "hello", at: F.t0))
        var general = store.state[channelId: F.general.id]
        #expect(general?.timeline.map(\.delivery) == [.pending])
        #expect(general?.timeline.first?.id == "k1")
        #expect(general?.timeline.first?.message.user.username == "alice")
        store.apply(.outboxDelivered(clientId: "k1", message: F.message("m1", "hello", by: F.alice, at: 1)))
        general = store.state[channelId: F.general.id]
        #expect(general?.timeline.map(\.id) == ["m1"])
        #expect(general?.timeline.map(\.delivery) == [.delivered])
    }

    @Test func theEchoBeforeThePostAnswerMergesIntoOneEntry() {
        var store = F.store()
        store.apply(.outboxQueued(clientId: "k1", channelId: F.general.id, content: "ok", at: F.t0))
        store.apply(.outboxQueued(clientId: "k2", channelId: F.general.id, content: "ok", at: F.t0))
        let first = F.message("m1", "ok", by: F.alice, at: 1)
        store.apply(F.newMessage(first))
        #expect(store.state[channelId: F.general.id]?.timeline.map(\.id) == ["m1", "k2"])
        store.apply(.outboxDelivered(clientId: "k1", message: first))
        #expect(store.state[channelId: F.general.id]?.timeline.map(\.id) == ["m1", "k2"])
        let second = F.message("m2", "ok", by: F.alice, at: 2)
        store.apply(.outboxDelivered(clientId: "k2", message: second))
        store.apply(F.newMessage(second))
        #expect(store.state[channelId: F.general.id]?.timeline.map(\.id) == ["m1", "m2"])
        #expect(store.state[channelId: F.general.id]?.unreadCount == 0)
    }

    @Test func aRefusedMessageStaysVisibleAsFailedUntilRetriedOrDiscarded() {
        var store = F.store()
        store.apply(.outboxQueued(clientId: "k1", channelId: F.general.id, content: "x", at: F.t0))
        store.apply(.outboxFailed(clientId: "k1", reason: "not a member"))
        #expect(store.state[channelId: F.general.id]?.outbox.first?.delivery == .failed(reason: "not a member"))
        // A failed entry is not taken for the echo of another message with the same text.
        store.apply(F.newMessage(F.message("m9", "x", by: F.alice, at: 1)))
        #expect(store.state[channelId: F.general.id]?.outbox.count == 1)
        store.apply(.outboxRetried(clientId: "k1"))
        #expect(store.state[channelId: F.general.id]?.outbox.first?.delivery == .pending)
        store.apply(.outboxDiscarded(clientId: "k1"))
        #expect(store.state[channelId: F.general.id]?.outbox.isEmpty == true)
    }

    @Test func queueingTheSameClientIdTwiceKeepsOneEntry() {
        var store = F.store()
        store.apply(.outboxQueued(clientId: "k1", channelId: F.general.id, content: "x", at: F.t0))
        store.apply(.outboxQueued(clientId: "k1", channelId: F.general.id, content: "x", at: F.t0))
        #expect(store.state[channelId: F.general.id]?.outbox.count == 1)
    }
}
