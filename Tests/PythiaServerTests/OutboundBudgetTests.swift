import Foundation
import NIOHTTP1
import PythiaProtocol
@testable import PythiaServer
import PythiaTestSupport
import Testing

/// Peers that do not read: each WebSocket's outbound queue is bounded in bytes and frames,
/// and data that does not drain closes the socket in every state of its close handshake.
@Suite("Outbound budget")
struct OutboundBudgetTests {
    @Test(arguments: StorageKind.tested) func aZeroWindowReaderWithACloseFramePendingIsClosedWithinTheStallTimeoutAndGoesOffline(_ storage: StorageKind) async throws {
        let clock = TestClock()
        try await withTestServer(on: storage) {
            $0.timerClock = clock
            $0.outboundStallTimeout = .seconds(3)
            // The stall, not the queue's size, is what must close it.
            $0.outboundQueueBytes = 64 << 20
            $0.outboundQueueLimit = 1_000_000
            $0.restWriteRate = RateLimit(perSecond: 100_000, burst: 100_000)
        } run: { server in
            let (_, aliceToken) = try await server.user("alice")
            let (bob, bobToken) = try await server.user("bob")
            let (_, carolToken) = try await server.user("carol")
            // Alice shares a channel with Bob, to see him go offline; Carol floods another one.
            let general = try await server.channel("general", token: aliceToken)
            let flood = try await server.channel("flood", token: carolToken)
            _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)
            _ = try await server.request(.POST, "/api/v1/channels/\(flood.id)/join", token: bobToken)
            let watcher = try await server.connect(aliceToken)
            try await watcher.next("connection_established")
            // The smallest receive buffer the kernel allows, never read: a zero window.
            let stalled = try await RawWebSocket.connect(port: server.server.port, token: bobToken, receiveBuffer: 1)
            try await watcher.next("user_status") { $0["status"] as? String == "online" }

            // ~3.2 MB (4000 four-byte characters a message): more than the kernel's buffers of a
            // connection hold (about 1.4 MB here), so the rest waits in the server.
            let content = String(repeating: "𝄞", count: 4000)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<50 {
                            let status = try await server.post(content, in: flood.id, token: carolToken).status
                            #expect(status == 201)
                        }
                    }
                }
                try await group.waitForAll()
            }
            // The peer's close: its answer waits behind what the peer never reads.
            #expect(stalled.sendFrame(opcode: 0x8, payload: [0x03, 0xE8]))
            // The stall timeout passes (3 s from when data first waited, with the clock still at
            // zero), not the 5 s close timeout that the peer's close started: only the stall can
            // shut the socket.
            clock.advance(by: .seconds(3))
            try await watcher.next("user_status") { $0["status"] as? String == "offline" && $0["user_id"] as? String == bob.id }
            let metrics = try await server.request(.GET, "/metrics").text
            #expect(metrics.contains("pythia_websocket_stalled_closed_total 1"))
            await watcher.close()
            try await server.waitForWebSocketConnections(0)
        }
    }

    @Test(arguments: StorageKind.tested) func aPingFloodFromAPeerThatReadsNoPongsIsClosedByTheBudget(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) {
            // The budget, not the frame rate, is what must close it.
            $0.frameRate = RateLimit(perSecond: 1_000_000, burst: 1_000_000)
        } run: { server in
            let (_, token) = try await server.user("alice")
            let flooder = try await RawWebSocket.connect(port: server.server.port, token: token, receiveBuffer: 1)
            let ping = RawWebSocket.frame(opcode: 0x9, payload: Array(repeating: 0x70, count: 125))
            let batch = Array([[UInt8]](repeating: ping, count: 256).joined())
            // Real socket timing: pings as fast as the socket takes them until the server shuts it
            // (once the kernel's buffers hold all the pongs they can, 1024 more are the budget);
            // before the keep-alive (60 s) or the stall timeout (30 s) could.
            let deadline = ContinuousClock.now + .seconds(25)
            var closed = false
            while !closed, ContinuousClock.now < deadline { closed = !flooder.sendRaw(batch) }
            #expect(closed, "the server shut the socket")
            let metrics = try await server.request(.GET, "/metrics").text
            #expect(metrics.contains("pythia_slow_consumers_dropped_total 1"))
            try await server.waitForWebSocketConnections(0)
        }
    }

    @Test(arguments: StorageKind.tested) func pingsCountAgainstTheFrameRate(_ storage: StorageKind) async throws {
        // The bucket refills on the test clock only, a frame every 100 s.
        let clock = TestClock()
        try await withTestServer(on: storage) {
            $0.timerClock = clock
            $0.frameRate = RateLimit(perSecond: 0.01, burst: 3)
        } run: { server in
            let (_, token) = try await server.user("alice")
            let socket = try await RawWebSocket.connect(port: server.server.port, token: token)
            #expect(await socket.nextFrame()?.opcode == 0x1)  // connection_established
            for number in 0..<5 { socket.sendFrame(opcode: 0x9, payload: [UInt8(number)]) }
            socket.sendFrame(opcode: 0x1, payload: Array(#"{"type":"ping"}"#.utf8))
            var pongs: [[UInt8]] = []
            var text: [UInt8] = []
            while text.isEmpty, let frame = await socket.nextFrameSkippingPings() {
                if frame.opcode == 0xA { pongs.append(frame.payload) } else { text = frame.payload }
            }
            // Three within the burst; the rest over the rate: the text is refused, and of the
            // pings only the latest is answered, once the rate allows.
            #expect(pongs == [[0], [1], [2]])
            #expect(String(decoding: text, as: UTF8.self).contains("rate_limited"))
            clock.advance(by: .seconds(100))
            #expect(await socket.nextFrameSkippingPings() == .init(fin: true, opcode: 0xA, payload: [4]))
        }
    }
}
