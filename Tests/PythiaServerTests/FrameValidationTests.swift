import Foundation
import PythiaServer
import Testing

@Suite("Frame validation")
struct FrameValidationTests {
    @Test func invalidUTF8TextClosesWith1007() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let (_, token) = try await server.user("alice")
        let socket = try await RawWebSocket.connect(port: server.server.port, token: token)
        socket.sendFrame(opcode: 0x1, payload: [0x7B, 0xC3, 0x28, 0x7D])
        #expect(await socket.closeCode() == 1007)
    }
}
