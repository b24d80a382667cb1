import Foundation
import NIOHTTP1
import WSCore
import NIOWebSocket
@testable import PythiaServer
import PythiaProtocol
import Testing

/// The built `pythia-chat admin`, a process of its own beside a running server: all it shares
/// with the server is the database file (and its lock).
@Suite("Admin command")
struct AdminProcessTests {
    @Test func theAdminCommandDisablesAConnectedUserAndFailsInOneLine() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let server = try await DisabledUserTests.server()
        defer { Task { await server.stop() } }
        let database = server.directory.appendingPathComponent("chat.sqlite").path
        let (_, token) = try await server.user("alice")
        let general = try await server.channel("general", token: token)
        _ = try await server.post("hello from alice", in: general.id, token: token)
        let socket = try await server.connect(token)
        try await socket.next("connection_established")

        let disabled = try await ServeProcess.run(["admin", "users", "disable", "alice", "--db", database])
        #expect(disabled.status == 0, "stderr: \(disabled.stderr)")
        #expect(disabled.stdout.hasPrefix("disabled alice"))
        let close = try await socket.closeFrame()
        #expect(close?.closeCode == .policyViolation && close?.reason == "account disabled")

        let created = try await ServeProcess.run(
            ["admin", "users", "create", "carol", "--email", "carol@example.com", "--db", database], input: "password-123\n")
        #expect(created.status == 0 && created.stdout.hasPrefix("created user carol"), "stderr: \(created.stderr)")
        #expect(try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"carol","password":"password-123"}"#).status == 200)

        let exported = try await ServeProcess.run(["admin", "export", "--channel", "#general", "--db", database])
        #expect(exported.status == 0 && exported.stderr == "exported 1 messages\n")
        #expect(exported.stdout.split(separator: "\n").count == 1 && exported.stdout.contains(#""content":"hello from alice""#))

        let missing = server.directory.appendingPathComponent("missing.sqlite").path
        let backup = server.directory.appendingPathComponent("backup.sqlite").path
        #expect(try await ServeProcess.run(["admin", "backup", backup, "--db", database]).status == 0)
        let failures: [([String], String)] = [
            (["admin", "users", "list", "--db", missing], "there is no such file"),
            (["admin", "users", "enable", "nobody", "--db", database], "there is no user named 'nobody'"),
            (["admin", "channels", "delete", "none", "--db", database], "there is no channel named 'none'"),
            (["admin", "restore", backup, "--db", database], "a server (pid \(getpid())) is running on \(database)"),
            (["admin", "purge", "--before", "soon", "--db", database], "'soon' is not a date"),
        ]
        for (arguments, message) in failures {
            let result = try await ServeProcess.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.hasPrefix("pythia-chat admin: ") && result.stderr.contains(message), "stderr: \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
