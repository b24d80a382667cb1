import Foundation
import PythiaServer
import Testing

@Suite("Frame validation")
struct FrameValidationTests {
    @Test(arguments: StorageKind.tested) func invalidUTF8TextClosesWith1007(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let socket = try await RawWebSocket.connect(port: server.server.port, token: token)
            socket.sendFrame(opcode: 0x1, payload: [0x7B, 0xC3, 0x28, 0x7D])
            #expect(await socket.closeCode() == 1007)
        }
    }

    @Test(arguments: StorageKind.tested) func anUnmaskedClientFrameClosesWith1002(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let socket = try await RawWebSocket.connect(port: server.server.port, token: token)
            // RFC 6455 §5.1: a server must close on an unmasked client frame, however valid its text.
            socket.sendFrame(opcode: 0x1, payload: Array(#"{"type":"ping"}"#.utf8), masked: false)
            #expect(await socket.closeCode() == 1002)
        }
    }
}
