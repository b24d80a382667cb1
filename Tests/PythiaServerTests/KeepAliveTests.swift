import Foundation
import NIOHTTP1
import PythiaProtocol
@testable import PythiaServer
import PythiaTestSupport
import Testing

@Suite("Keep-alive")
struct KeepAliveTests {
    @Test(arguments: StorageKind.tested) func aPeerThatAnswersNoPingIsClosedAndOneThatDoesStays(_ storage: StorageKind) async throws {
        // Pings are due when the test clock says: 30 s of real time is past every wait here.
        let clock = TestClock()
        let interval = Duration.seconds(30)
        try await withTestServer(on: storage) {
            $0.timerClock = clock
            $0.pingInterval = interval
        } run: { server in
            let (_, token) = try await server.user("alice")
            let silent = try await RawWebSocket.connect(port: server.server.port, token: token)
            let answering = try await RawWebSocket.connect(port: server.server.port, token: token)
            // Both sockets are open, their first ping due, before the clock moves.
            #expect(await silent.barrier())
            #expect(await answering.barrier())

            clock.advance(by: interval)
            // Both pings are out before the clock moves on, the pong in.
            #expect(await silent.next(opcode: 0x9) != nil)
            let ping = try #require(await answering.next(opcode: 0x9))
            #expect(answering.sendFrame(opcode: 0xA, payload: ping.payload))
            #expect(await answering.barrier())

            clock.advance(by: interval)
            #expect(await silent.closeCode() == 1001, "a peer that never answers pings is closed")
            #expect(await answering.next(opcode: 0x9) != nil, "a peer that answers is pinged again")
            #expect(await answering.barrier(), "and stays open")
        }
    }

    @Test(arguments: StorageKind.tested) func aPeerThatShutsItsSideWithoutACloseFrameIsClosedAndGoesOffline(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, aliceToken) = try await server.user("alice")
            let (_, bobToken) = try await server.user("bob")
            let general = try await server.channel("general", token: aliceToken)
            _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)
            let watcher = try await server.connect(bobToken)
            try await watcher.next("connection_established")
            let leaving = try await RawWebSocket.connect(port: server.server.port, token: aliceToken)
            try await watcher.next("user_status") { $0["status"] as? String == "online" }
            leaving.shutdownOutput()
            #expect(await leaving.closeCode() == 1000)
            try await watcher.next("user_status") { $0["status"] as? String == "offline" }
            await watcher.close()
        }
    }
}
