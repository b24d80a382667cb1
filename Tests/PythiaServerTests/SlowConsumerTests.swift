import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOHTTP1
import PythiaProtocol
@testable import PythiaServer
import Testing

@Suite("Fan-out")
struct SlowConsumerTests {
    @Test(arguments: StorageKind.tested) func aConsumerThatStopsReadingIsDroppedWithoutDelayingOthers(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) {
            $0.outboundQueueLimit = 16
            $0.restWriteRate = RateLimit(perSecond: 100_000, burst: 100_000)
        } run: { server in
            let (_, aliceToken) = try await server.user("alice")
            let (_, bobToken) = try await server.user("bob")
            let general = try await server.channel("general", token: aliceToken)
            _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)

            let stalled = try await RawWebSocket.connect(port: server.server.port, token: bobToken)
            let reader = try await server.connect(aliceToken)
            try await reader.next("connection_established")
            try await server.waitForWebSocketConnections(2)

            let content = String(repeating: "x", count: 4000)
            let count = 1500
            for _ in 0..<count {
                #expect(try await server.post(content, in: general.id, token: aliceToken).status == 201)
            }
            try await reader.next("new_message", count: count)
            #expect(reader.frames(ofType: "new_message").count == count)
            let metrics = try await server.request(.GET, "/metrics").text
            #expect(metrics.contains("pythia_slow_consumers_dropped_total 1"))
            #expect(await stalled.readsUntilClosed(), "the stalled socket is closed by the server")
            await reader.close()
        }
    }
}
