import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOHTTP1
import PythiaProtocol
@testable import PythiaServer
import Testing

/// On SQLite only: the hub's fan-out is the same on both storages, and 1 500 posts one after
/// another on PostgreSQL took minutes of the whole suite's run on two cores.
@Suite("Fan-out")
struct SlowConsumerTests {
    @Test func aConsumerThatStopsReadingIsDroppedWithoutDelayingOthers() async throws {
        try await withTestServer {
            $0.outboundQueueLimit = 64  // the reader, on a loaded machine, may lag a few dozen frames
            // The stalled peer answers no ping either: on a loaded machine the posts outlast
            // the idle timeout, which would close it first, for another reason.
            $0.pingInterval = .seconds(600)
            $0.restWriteRate = RateLimit(perSecond: 100_000, burst: 100_000)
        } run: { server in
            let (_, aliceToken) = try await server.user("alice")
            let (_, bobToken) = try await server.user("bob")
            let general = try await server.channel("general", token: aliceToken)
            _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)

            let stalled = try await RawWebSocket.connect(port: server.server.port, token: bobToken)
            let reader = try await server.connect(aliceToken)
            try await reader.next("connection_established")
            try await reader.waitUntil("both sockets in the hub") {
                server.server.metricsExposition.contains("pythia_websocket_connections 2.0")
            }

            let content = String(repeating: "x", count: 4000)
            let count = 1500
            for _ in 0..<count {
                #expect(try await server.post(content, in: general.id, token: aliceToken).status == 201)
            }
            try await reader.next("new_message", count: count)
            #expect(reader.frames(ofType: "new_message").count == count)
            // Dropped for its queue, or for not draining within the stall timeout: which comes
            // first depends on the kernel's buffers and the machine's load.
            let metrics = server.server.metricsExposition
            #expect(
                metrics.contains("pythia_slow_consumers_dropped_total 1") || metrics.contains("pythia_websocket_stalled_closed_total 1"),
                "\(metrics)")
            #expect(await stalled.readsUntilClosed(), "the stalled socket is closed by the server")
            await reader.close()
        }
    }
}
