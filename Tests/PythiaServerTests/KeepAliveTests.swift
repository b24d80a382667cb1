import Foundation
@testable import PythiaServer
import Testing

@Suite("Keep-alive")
struct KeepAliveTests {
    @Test func aPeerThatAnswersNoPingIsClosedAndOneThatDoesStays() async throws {
        let server = try await TestServer.start { $0.pingInterval = .milliseconds(300) }
        defer { Task { await server.stop() } }
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
