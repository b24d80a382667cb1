import Foundation
import PythiaClient
import PythiaProtocol
import Testing

/// The reducer tests' helper fails on what a step does beyond what the test states.
@Suite struct TestStoreTests {
    typealias F = Fixtures

    @Test func aChangeNotStatedFailsNamingTheField() {
        var store = TestStore(F.store())
        withKnownIssue {
            store.send(.caughtUp(channelId: F.general.id))
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("channels[0].isCaughtUp: false → true") }
        }
    }

    @Test func anEffectNotStatedFails() {
        var store = TestStore(F.store())
        withKnownIssue {
            store.send(.select(channelId: F.random.id)) { $0.selectedChannelId = F.random.id }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("loadMembers") }
        }
    }

    @Test func theDifferencesNameEachChangedLeafAndNothingElse() {
        var before = F.store()
        before.apply(.outboxQueued(clientId: "k1", channelId: F.general.id, content: "hi", at: F.t0))
        var after = before.state
        after.update(F.general.id) {
            $0.outbox[0].delivery = .failed(reason: "offline")
            $0.unreadCount = 3
        }
        after.presence[F.bob.id] = .online
        #expect(StateDiff.lines(before.state, after) == [
            #"channels[0].outbox[0].delivery: pending → failed(reason: "offline")"#,
            "channels[0].unreadCount: 0 → 3",
            #"presence["u-bob"]: added PresenceStatus(rawValue: "online")"#,
        ])
        #expect(StateDiff.lines(after, after).isEmpty)
    }
}
