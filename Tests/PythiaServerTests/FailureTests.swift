import Foundation
import PythiaServer
import NIOHTTP1
import PythiaProtocol
import Testing

@Suite("Failures")
struct FailureTests {
    @Test func aStorageFailureIs500WithNothingInternalInTheBody() async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let (_, token) = try await server.user("alice")
        let general = try await server.channel("general", token: token)
        _ = try await server.post("hello", in: general.id, token: token)
        // Break the schema behind the server's back, as a damaged database would.
        let database = server.directory.appendingPathComponent("chat.sqlite").path
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DROP TABLE reactions'); c.commit()", database]
        try python.run()
        _ = try await onOwnThread { python.waitUntilExit() }
        try #require(python.terminationStatus == 0, "python3 with sqlite3 is available")

        let result = try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)", token: token)
        expectError(result, 500, .internalError)
        for leak in ["reactions", "SQL", "sqlite", server.directory.path, "/work", ".swift"] {
            #expect(!result.text.contains(leak), "the body reveals \(leak): \(result.text)")
        }
    }
}
