import Foundation
import NIOEmbedded
@testable import PythiaServer
import Testing

/// A WebSocket's handshake reads its channels before its socket exists; the hub's watch,
/// begun before that read, corrects the registration, and a watch that has ended refuses it.
@Suite struct HandshakeWatchTests {
    private static func hub() -> Hub {
        Hub(typingExpiry: .seconds(6), clock: ContinuousClock(), metrics: ServerMetrics())
    }

    private static func connection(_ userId: String, token: String) -> HubConnection {
        HubConnection(
            identity: Identity(userId: userId, username: userId, expiresAt: Date().addingTimeInterval(600), tokenId: token),
            channel: EmbeddedChannel())
    }

    @Test func membershipChangesAfterTheReadCorrectTheRegistration() async {
        let hub = Self.hub()
        let watch = await hub.watchHandshake(userId: "bob", tokenId: "t1")
        // Committed after the handshake's read, which saw bob in c1 and c2.
        await hub.membershipChanged(userId: "bob", channelId: "c2", joined: false)
        await hub.membershipChanged(userId: "bob", channelId: "c3", joined: true)
        await hub.membershipChanged(userId: "carol", channelId: "c1", joined: false)
        #expect(await hub.register(Self.connection("bob", token: "t1"), memberOf: ["c1", "c2"], watchedSince: watch))
        let present = await hub.presentUsers
        #expect(present.count == 1 && present.first?.userId == "bob")
        #expect(present.first?.channelIds == ["c1", "c3"])
    }

    @Test func aWatchThatEndedRefusesTheRegistrationAndEachWatchIsItsOwn() async {
        let hub = Self.hub()
        let first = await hub.watchHandshake(userId: "bob", tokenId: "t1")
        let second = await hub.watchHandshake(userId: "bob", tokenId: "t1")
        await hub.endHandshakeWatch(first)
        #expect(await !hub.register(Self.connection("bob", token: "t1"), memberOf: ["c1"], watchedSince: first))
        #expect(await hub.connectionCount == 0)
        #expect(await hub.register(Self.connection("bob", token: "t1"), memberOf: ["c1"], watchedSince: second))
        #expect(await hub.connectionCount == 1)
        // A registration ends its watch: the same watch cannot register a second socket.
        #expect(await !hub.register(Self.connection("bob", token: "t1"), memberOf: ["c1"], watchedSince: second))
        #expect(await hub.connectionCount == 1)
    }
}
