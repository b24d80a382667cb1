import Foundation
import GRDB
import NIOHTTP1
import WSCore
import NIOWebSocket
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Testing

/// The built `pythia-chat admin`, a process of its own beside a running server: all it shares
/// with the server is the database (a SQLite file and its lock, or a PostgreSQL database).
@Suite("Admin command")
struct AdminProcessTests {
    @Test func theAdminCommandDisablesAConnectedUserAndFailsInOneLine() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        try await DisabledUserTests.server().whileRunning { server in
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
                // A PostgreSQL URL is never taken for a file's name; a backup there is pg_dump's.
                (["admin", "backup", backup, "--db", "postgres://pythia:secret@127.0.0.1:1/chat"], "pg_dump --format=custom --file=pythia.dump 'postgres://pythia@127.0.0.1:1/chat'"),
                (["admin", "restore", backup, "--db", "postgres://pythia:secret@127.0.0.1:1/chat"], "(pg_restore brings it back)"),
                // The other commands work on PostgreSQL: here, one that cannot reach it.
                (["admin", "users", "list", "--db", "postgres://pythia:secret@127.0.0.1:1/chat"], "cannot connect to 127.0.0.1:1"),
                (["admin", "users", "list", "--db", "mysql://x/y"], "unsupported database URL scheme 'mysql://'"),
            ]
            for (arguments, message) in failures {
                let result = try await ServeProcess.run(arguments)
                #expect(result.status == 1, "\(arguments)")
                #expect(result.stderr.hasPrefix("pythia-chat admin: ") && result.stderr.contains(message), "stderr: \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: missing))
            let retention = try await ServeProcess.run(["--serve", "--port", "0", "--retention-days", "0", "--db", missing])
            #expect(retention.status != 0 && retention.stderr.contains("--retention-days must be from 1 to 36500"), "\(retention.stderr)")
        }
    }

    @Test func theAdminCommandWorksOnAPostgreSQLDatabase() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let url = try await TestPostgres.freshDatabase()
        try await withTestServer {
            $0.useSharedPostgres(try PostgresLocation(url: url))
            $0.accountCheckInterval = .milliseconds(50)
        } run: { server in
            let (_, token) = try await server.user("alice")
            _ = try await server.user("bob")
            let socket = try await server.connect(token)
            try await socket.next("connection_established")

            let listed = try await ServeProcess.run(["admin", "users", "list", "--db", url])
            #expect(listed.status == 0, "stderr: \(listed.stderr)")
            #expect(listed.stdout.contains("alice") && listed.stdout.contains("bob"), "\(listed.stdout)")
            // Another process's change reaches this server's sockets through account_changes.
            let disabled = try await ServeProcess.run(["admin", "users", "disable", "alice", "--db", url])
            #expect(disabled.status == 0 && disabled.stdout.hasPrefix("disabled alice"), "stderr: \(disabled.stderr)")
            #expect(try await socket.closeFrame()?.reason == "account disabled")
            expectError(
                try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"alice","password":"password-123"}"#), 401, .unauthorized)
        }
    }

    // SQLite only: about the file and its WAL.
    @Test func aRestoreAfterKill9KeepsThePreviousDatabaseWithItsWAL() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let directory = try AdministrationTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("chat.sqlite").path
        let backup = directory.appendingPathComponent("backup.sqlite").path
        let first = try await ServeProcess.start(database: database)
        let client = RESTClient(base: first.baseURL)
        _ = try await client.request(.POST, "/api/v1/auth/register", json: #"{"username":"alice","email":"a@example.com","password":"password-123"}"#)
        let login = #"{"username":"alice","password":"password-123"}"#
        let token = try PythiaJSON.decode(TokenResponse.self, from: try await client.request(.POST, "/api/v1/auth/login", json: login).body).accessToken
        let channel = try PythiaJSON.decode(Channel.self, from: try await client.request(.POST, "/api/v1/channels/", json: #"{"name":"kept"}"#, token: token).body)
        func post(_ text: String) async throws -> String {
            let result = try await client.request(.POST, "/api/v1/messages/", json: #"{"channel_id":"\#(channel.id)","content":"\#(text)"}"#, token: token)
            return try PythiaJSON.decode(Message.self, from: result.body).id
        }
        var before: [String] = []
        for index in 0..<3 { before.append(try await post("before \(index)")) }
        #expect(try await ServeProcess.run(["admin", "backup", backup, "--db", database]).status == 0)
        for index in 0..<3 { _ = try await post("after \(index)") }
        first.kill()
        // What the killed server committed is in its WAL, not yet in the database file.
        let walSize = try FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int ?? 0
        #expect(walSize > 0)

        let restored = try await ServeProcess.run(["admin", "restore", backup, "--db", database])
        #expect(restored.status == 0, "stderr: \(restored.stderr)")
        #expect(restored.stdout.contains("the previous database is kept as \(database).before-restore"))
        let kept = try DatabaseQueue(path: database + ".before-restore")
        #expect(try await kept.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages") } == 6)
        try kept.close()

        let second = try await ServeProcess.start(database: database)
        let history = try await RESTClient(base: second.baseURL).request(.GET, "/api/v1/messages/?channel_id=\(channel.id)", token: token)
        #expect(try PythiaJSON.decode([Message].self, from: history.body).map(\.id) == before)
        second.kill()
    }

    // SQLite only: the process test of the retention job (RetentionTests runs it on both storages).
    @Test func serveWithRetentionDaysExpiresOldMessagesAtStart() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let directory = try AdministrationTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("chat.sqlite").path
        // Three messages stored three days ago, one an hour ago.
        let storage = try SQLiteStorage(path: database)
        let alice = try await storage.createUser(username: "alice", email: "alice@example.com", passwordHash: "!")
        let channel = try await storage.createChannel(name: "room", description: "", isPrivate: false, ownerId: alice.id)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try await storage.pool.write { db in
            for age in [3 * 86_400_000, 3 * 86_400_000, 3 * 86_400_000, 3_600_000] as [Int64] {
                try db.execute(sql: """
                    INSERT INTO messages (id, channel_id, user_id, content, created_at, updated_at) VALUES (?, ?, ?, 'words', ?, ?)
                    """, arguments: [UUID().uuidString.lowercased(), channel.id, alice.id, now - age, now - age])
            }
        }
        await storage.close()

        let server = try await ServeProcess.start(database: database, arguments: ["--retention-days", "2"])
        let deadline = ContinuousClock.now + .seconds(15)
        var metrics = ""
        while !metrics.contains("pythia_messages_expired_total 3"), ContinuousClock.now < deadline {
            // The job runs in the server process at start: only its effect can be waited for.
            try await Task.sleep(for: .milliseconds(50))
            metrics = try await RESTClient(base: server.baseURL).request(.GET, "/metrics").text
        }
        server.kill()
        #expect(metrics.contains("pythia_messages_expired_total 3"))
        let left = try DatabaseQueue(path: database)
        #expect(try await left.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages") } == 1)
        try left.close()
    }
}
