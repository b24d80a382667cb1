import Foundation
import NIOHTTP1
import PythiaProtocol
@testable import PythiaServer
import Testing

@Suite("Keep-alive")
struct KeepAliveTests {
    @Test(arguments: StorageKind.tested) func aPeerThatAnswersNoPingIsClosedAndOneThatDoesStays(_ storage: StorageKind) async throws {
        // Long enough that a loaded machine (the whole suite at once) does not starve the
        // answering client's pongs past the interval (1 s did, in CI); the silent peer is
        // closed within 8 s.
        try await withTestServer(on: storage) { $0.pingInterval = .seconds(4) } run: { server in
            let (_, token) = try await server.user("alice")
            let silent = try await RawWebSocket.connect(port: server.server.port, token: token)
            let answering = try await server.connect(token)
            try await answering.next("connection_established")
            #expect(await silent.readsUntilClosed(), "a peer that never answers pings is closed")
            try await answering.send(#"{"type":"ping"}"#)
            try await answering.next("pong")
            #expect(!answering.finished)
            await answering.close()
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
