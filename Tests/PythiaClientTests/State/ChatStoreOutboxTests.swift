import Foundation
import PythiaClient
import PythiaProtocol
import Testing

/// The outbox as the store runs it: every step's whole state change and effects.
@Suite struct ChatStoreOutboxTests {
    typealias F = Fixtures
    let general = F.general.id

    @Test func aSentMessageIsPendingAtOnceThenDeliveredOnce() {
        var store = TestStore(F.store())
        // Shown pending at once, its POST asked for, the file to be saved.
        store.send(.outboxQueued(clientId: "k1", channelId: general, content: "hello", at: F.t0), effects: [F.post("k1", "hello"), .saveOutbox]) {
            $0.update(general) {
                $0.outbox = [F.outboxEntry("k1", "hello")]
                $0.posting = OutboxPost(clientId: "k1")
            }
        }
        #expect(store.state[channelId: general]?.timeline.first?.message.user.username == "alice")
        let m1 = F.message("m1", "hello", by: F.alice, at: 1, clientId: "k1")
        store.send(.outboxDelivered(clientId: "k1", message: m1), effects: [.saveOutbox]) {
            $0.serverSendsClientIds = true
            $0.update(general) {
                $0.outbox = []
                $0.posting = nil
                $0.messages = [ChatMessage(message: m1)]
            }
        }
        // The echo that follows changes nothing.
        store.send(F.newMessage(m1))
    }

    @Test func messagesArePostedOneAtATimeInOrder() {
        var store = TestStore(F.store())
        store.queueFirst("k1", "one")
        // The second waits for the first's answer.
        store.queueBehind("k2", "two")
        // Queueing the same client_id again (a restored file) keeps one entry.
        store.send(.outboxQueued(clientId: "k2", channelId: general, content: "two", at: F.t0))
        // Another channel's queue does not wait for this one.
        store.queueFirst("r1", "elsewhere", in: F.random)
        let m1 = F.message("m1", "one", by: F.alice, at: 1, clientId: "k1")
        store.answer("k1", with: m1, next: ("k2", "two"))
        // Nowhere to go: a channel we do not have.
        store.send(.outboxQueued(clientId: "x1", channelId: "c-gone", content: "lost?", at: F.t0))
    }

    @Test func aFailedPostIsTriedAgainAfterAGrowingWaitOrTheServersRetryAfter() {
        var store = TestStore(F.store(outboxMaxRetryDelay: .seconds(3)))
        store.queueFirst("k1", "offline")
        let waits: [(failures: Int, wait: Duration)] = [
            (1, .milliseconds(500)), (2, .seconds(1)), (3, .seconds(2)), (4, .seconds(3)), (5, .seconds(3)),
        ]
        for (failures, wait) in waits {
            store.send(.outboxPostFailed(clientId: "k1", retryAfter: nil), effects: [.retry(clientId: "k1", after: wait)]) {
                $0.update(general) { $0.posting = OutboxPost(clientId: "k1", failures: failures, isWaiting: true) }
            }
            // A second failure report while waiting (or any other stale one) changes nothing.
            store.send(.outboxPostFailed(clientId: "k1", retryAfter: nil))
            store.send(.outboxRetryDue(clientId: "k1"), effects: [F.post("k1", "offline")]) {
                $0.update(general) { $0.posting = OutboxPost(clientId: "k1", failures: failures, isWaiting: false) }
            }
            // A due that comes twice posts once.
            store.send(.outboxRetryDue(clientId: "k1"))
        }
        store.send(.outboxPostFailed(clientId: "k1", retryAfter: .seconds(30)), effects: [.retry(clientId: "k1", after: .seconds(30))]) {
            $0.update(general) { $0.posting = OutboxPost(clientId: "k1", failures: 6, isWaiting: true) }
        }
        store.send(.outboxRetryDue(clientId: "k1"), effects: [F.post("k1", "offline")]) {
            $0.update(general) { $0.posting?.isWaiting = false }
        }
        let m1 = F.message("m1", "offline", by: F.alice, at: 40, clientId: "k1")
        store.answer("k1", with: m1)
        // The next message starts again from the shortest wait.
        store.queueFirst("k2", "next")
        store.send(.outboxPostFailed(clientId: "k2", retryAfter: nil), effects: [.retry(clientId: "k2", after: .milliseconds(500))]) {
            $0.update(general) { $0.posting = OutboxPost(clientId: "k2", failures: 1, isWaiting: true) }
        }
    }

    @Test func theEchoBeforeThePostsAnswerIsMatchedByClientId() {
        var store = TestStore(F.store())
        store.queueFirst("k1", "ok")
        store.queueBehind("k2", "ok")
        // Same text, but the echo names k1: k1 leaves the outbox, its POST still under way.
        let m1 = F.message("m1", "ok", by: F.alice, at: 1, clientId: "k1")
        store.send(F.newMessage(m1), effects: [.saveOutbox]) {
            $0.serverSendsClientIds = true
            $0.update(general) {
                $0.outbox = [F.outboxEntry("k2", "ok")]
                $0.messages = [ChatMessage(message: m1)]
            }
        }
        // The duplicate echo changes nothing.
        store.send(F.newMessage(m1))
        // The POST's answer only moves the queue on.
        store.send(.outboxDelivered(clientId: "k1", message: m1), effects: [F.post("k2", "ok")]) {
            $0.update(general) { $0.posting = OutboxPost(clientId: "k2") }
        }
        #expect(store.state[channelId: general]?.unreadCount == 0)
    }

    @Test func aMessageOfOursFromAnotherTerminalIsNotTakenForAPendingOneWithTheSameText() {
        var store = TestStore(F.store())
        store.queueFirst("k1", "ok")
        let elsewhere = F.message("m9", "ok", by: F.alice, at: 1, clientId: "other-terminal")
        store.send(F.newMessage(elsewhere)) {
            $0.serverSendsClientIds = true
            $0.update(general) { $0.messages = [ChatMessage(message: elsewhere)] }
        }
    }

    @Test func fromAServerThatSendsClientIdsAMessageWithoutOneIsNeverTakenForAPendingOne() {
        var store = TestStore(F.store())
        store.queueFirst("k1", "ok")
        store.queueBehind("k2", "ok")
        let m1 = F.message("m1", "ok", by: F.alice, at: 1, clientId: "k1")
        store.answer("k1", with: m1, next: ("k2", "ok"))
        // Ours, same text, posted without a client_id (`curl`, another client): not k2's echo.
        let keyless = F.message("m2", "ok", by: F.alice, at: 2)
        store.send(F.newMessage(keyless)) {
            $0.update(general) { $0.messages = [ChatMessage(message: m1), ChatMessage(message: keyless)] }
        }
    }

    @Test func fromAServerWithoutClientIdsTheEchoIsMatchedByText() {
        var store = TestStore(F.store())
        store.queueFirst("k1", "ok")
        store.queueBehind("k2", " ok ")
        // No client_id: the oldest pending entry with the same (trimmed) text is the echo's.
        let m1 = F.message("m1", "ok", by: F.alice, at: 1)
        store.send(F.newMessage(m1), effects: [.saveOutbox]) {
            $0.update(general) {
                $0.outbox = [F.outboxEntry("k2", " ok ")]
                $0.messages = [ChatMessage(message: m1)]
            }
        }
        // A duplicate of that echo must not take k2's place.
        store.send(F.newMessage(m1))
        store.send(.outboxDelivered(clientId: "k1", message: m1), effects: [F.post("k2", " ok ")]) {
            $0.update(general) { $0.posting = OutboxPost(clientId: "k2") }
        }
        let m2 = F.message("m2", "ok", by: F.alice, at: 2)
        store.answer("k2", with: m2)
        store.send(F.newMessage(m2))
    }

    @Test func anEchoAfterThePostsAnswerDoesNotSwallowTheNextMessageWithTheSameText() {
        var store = TestStore(F.store())
        store.queueFirst("k1", "ok")
        store.queueBehind("k2", "ok")
        let m1 = F.message("m1", "ok", by: F.alice, at: 1)
        store.answer("k1", with: m1, next: ("k2", "ok"))
        // m1's echo from a server without client_ids: k2 stays pending and shown.
        store.send(F.newMessage(m1))
    }

    @Test func anEchoWhileWaitingToRetryEndsTheWaitWithoutAnotherPost() {
        var store = TestStore(F.store())
        store.queueFirst("k1", "one")
        store.queueBehind("k2", "two")
        // The server stored k1 but its answer was lost.
        store.send(.outboxPostFailed(clientId: "k1", retryAfter: nil), effects: [.retry(clientId: "k1", after: .milliseconds(500))]) {
            $0.update(general) { $0.posting = OutboxPost(clientId: "k1", failures: 1, isWaiting: true) }
        }
        let m1 = F.message("m1", "one", by: F.alice, at: 1, clientId: "k1")
        store.send(.historyLoaded(channelId: general, messages: [m1], page: .newer), effects: [.saveOutbox]) {
            $0.serverSendsClientIds = true
            $0.update(general) {
                $0.outbox = [F.outboxEntry("k2", "two")]
                $0.messages = [ChatMessage(message: m1)]
                $0.resumeAfterId = "m1"
            }
        }
        store.send(.outboxRetryDue(clientId: "k1"), effects: [F.post("k2", "two")]) {
            $0.update(general) { $0.posting = OutboxPost(clientId: "k2") }
        }
        // The echo arrives while k2's POST fails: k2 is tried again, it is not stored yet.
        store.send(F.newMessage(m1))
        store.send(.outboxPostFailed(clientId: "k2", retryAfter: nil), effects: [.retry(clientId: "k2", after: .milliseconds(500))]) {
            $0.update(general) { $0.posting = OutboxPost(clientId: "k2", failures: 1, isWaiting: true) }
        }
    }

    @Test func aPostThatFailsAfterItsEchoArrivedIsNotTriedAgain() {
        var store = TestStore(F.store())
        store.queueFirst("k1", "one")
        let m1 = F.message("m1", "one", by: F.alice, at: 1, clientId: "k1")
        store.send(F.newMessage(m1), effects: [.saveOutbox]) {
            $0.serverSendsClientIds = true
            $0.update(general) {
                $0.outbox = []
                $0.messages = [ChatMessage(message: m1)]
            }
        }
        store.send(.outboxPostFailed(clientId: "k1", retryAfter: nil)) {
            $0.update(general) { $0.posting = nil }
        }
    }

    @Test func aRefusedMessageStaysShownAsFailedUntilRetriedAtTheEndOrDiscarded() {
        var store = TestStore(F.store())
        store.queueFirst("k1", "x")
        store.queueBehind("k2", "y")
        // A pending message can be neither retried nor discarded.
        store.send(.outboxRetried(clientId: "k2"))
        store.send(.outboxDiscarded(clientId: "k2"))
        store.send(.outboxFailed(clientId: "k1", reason: "not a member"), effects: [F.post("k2", "y"), .saveOutbox]) {
            $0.update(general) {
                $0.outbox[0].delivery = .failed(reason: "not a member")
                $0.posting = OutboxPost(clientId: "k2")
            }
        }
        // A failed entry is not taken for the echo of another message with the same text.
        let m9 = F.message("m9", "x", by: F.alice, at: 1)
        store.send(F.newMessage(m9)) {
            $0.update(general) { $0.messages = [ChatMessage(message: m9)] }
        }
        // Retried, it goes after k2, whose POST is under way.
        store.send(.outboxRetried(clientId: "k1"), effects: [.saveOutbox]) {
            $0.update(general) { $0.outbox = [F.outboxEntry("k2", "y"), F.outboxEntry("k1", "x")] }
        }
        let m2 = F.message("m2", "y", by: F.alice, at: 2, clientId: "k2")
        store.answer("k2", with: m2, next: ("k1", "x"))
        store.send(.outboxFailed(clientId: "k1", reason: "still not"), effects: [.saveOutbox]) {
            $0.update(general) {
                $0.outbox[0].delivery = .failed(reason: "still not")
                $0.posting = nil
            }
        }
        store.send(.outboxDiscarded(clientId: "k1")) {
            $0.update(general) { $0.outbox = [] }
        }
        store.send(.outboxDiscarded(clientId: "k1"))
    }

    @Test func leavingAChannelTakesItsOutboxAndSavesTheRest() {
        var store = TestStore(F.store())
        store.queueFirst("r1", "bye", in: F.random)
        var withoutRandom = store
        withoutRandom.send(.channelRemoved(channelId: F.random.id), effects: [.saveOutbox]) {
            $0.channels.removeAll { $0.id == F.random.id }
        }
        // The POST's answer then finds no channel to put the message in.
        withoutRandom.send(.outboxDelivered(clientId: "r1", message: F.message("m1", "bye", by: F.alice, in: F.random, clientId: "r1")))
        store.send(.channelsLoaded([F.general]), effects: [.saveOutbox]) {
            $0.channels.removeAll { $0.id == F.random.id }
        }
        // Without pending messages nothing needs saving.
        store.send(.channelRemoved(channelId: general)) {
            $0.channels = []
            $0.selectedChannelId = nil
        }
    }
}
