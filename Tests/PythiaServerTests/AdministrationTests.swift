import Foundation
import NIOHTTP1
import WSCore
import GRDB
import PostgresNIO
@testable import PythiaServer
import PythiaProtocol
import Testing

/// `pythia-chat admin users …` and `channels …` as the library does them, against the
/// database of a running server (both storages).
@Suite("Administration")
struct AdministrationTests {
    /// A fresh directory under the system's temporary one; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-admin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test(arguments: StorageKind.tested) func accountsAreCreatedListedAndTheirPasswordsReset(_ storage: StorageKind) async throws {
        try await DisabledUserTests.withServerAndAdministration(on: storage) { server, administration in
            #expect(try await administration.createUser(username: "alice", email: "alice@example.com", password: "first-password")
                .hasPrefix("created user alice <alice@example.com>"))
            let login = #"{"username":"alice","password":"first-password"}"#
            let token = try await server.request(.POST, "/api/v1/auth/login", json: login).decode(TokenResponse.self).accessToken
            let socket = try await server.connect(token)
            try await socket.next("connection_established")
            _ = try await server.post("hello", in: try await server.channel("room", token: token).id, token: token)

            let accounts = try await administration.users()
            #expect(accounts.map(\.user.username) == ["alice"] && accounts.first?.messageCount == 1 && accounts.first?.isDisabled == false)
            let json = String(decoding: try PythiaJSON.encode(accounts), as: UTF8.self)
            #expect(json.contains(#""disabled":false"#) && json.contains(#""messages":1"#) && json.contains(#""created_at":"#))

            let bob = try await administration.createUser(
                username: "bob", email: "bob@example.com", password: "password-123", joining: ["#room", "lobby"])
            #expect(bob.hasSuffix("; a member of #room, #lobby (created, public)"), "\(bob)")
            let bobToken = try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"bob","password":"password-123"}"#)
                .decode(TokenResponse.self).accessToken
            let bobChannels = try await server.request(.GET, "/api/v1/channels/", token: bobToken).decode([PythiaProtocol.Channel].self)
            #expect(bobChannels.map(\.name) == ["lobby", "room"] && bobChannels.first?.isPrivate == false)

            #expect(try await administration.resetPassword(username: "alice", password: "second-password").contains("every session"))
            #expect(try await socket.closeFrame()?.reason == "logged out")
            expectError(try await server.request(.GET, "/api/v1/auth/me", token: token), 401, .unauthorized)
            expectError(try await server.request(.POST, "/api/v1/auth/login", json: login), 401, .unauthorized)
            #expect(try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"alice","password":"second-password"}"#).status == 200)
        }
    }

    @Test(arguments: StorageKind.tested) func badInputIsOneClearErrorAndChangesNothing(_ storage: StorageKind) async throws {
        try await DisabledUserTests.withServerAndAdministration(on: storage) { server, administration in
            _ = try await server.user("alice")
            let failures: [(String, () async throws(AdminError) -> String)] = [
                ("there is no user named 'nobody'", { () async throws(AdminError) in try await administration.setDisabled(true, username: "nobody") }),
                ("there is no user named 'nobody'", { () async throws(AdminError) in try await administration.deleteUser(username: "nobody", purge: true) }),
                ("there is no channel named 'none'", { () async throws(AdminError) in try await administration.deleteChannel(named: "none") }),
                ("username is already taken", { () async throws(AdminError) in
                    try await administration.createUser(username: "ALICE", email: "other@example.com", password: "password-123") }),
                ("email is already taken", { () async throws(AdminError) in
                    try await administration.createUser(username: "alice2", email: "alice@example.com", password: "password-123") }),
                ("username", { () async throws(AdminError) in try await administration.createUser(username: "a b", email: "x@example.com", password: "password-123") }),
                ("password", { () async throws(AdminError) in try await administration.createUser(username: "carol", email: "c@example.com", password: "short") }),
                ("is not a date", { () async throws(AdminError) in try await administration.purge(before: try ServerAdministration.date("yesterday")) }),
            ]
            for (message, work) in failures {
                do throws(AdminError) {
                    let report = try await work()
                    Issue.record("expected a failure containing '\(message)', got: \(report)")
                } catch {
                    #expect(error.description.contains(message), "\(error.description)")
                    #expect(!error.description.contains("\n"))
                }
            }
            #expect(try await administration.users().map(\.user.username) == ["alice"])
        }
    }

    // SQLite only: about the file (PostgreSQL refuses a newer schema in PostgresStorage).
    @Test func aMissingOrNewerDatabaseIsRefusedAndNotCreatedOrTouched() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.sqlite").path
        #expect(throws: AdminError.self) { try ServerAdministration(databasePath: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)

        let newer = directory.appendingPathComponent("newer.sqlite").path
        let storage = try SQLiteStorage(path: newer)
        try await storage.pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-a-newer-build')") }
        await storage.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: newer))
        do {
            _ = try ServerAdministration(databasePath: newer)
            Issue.record("a database of a newer build was opened")
        } catch {
            #expect(error.description.contains("written by a newer pythia-chat (migration v9-from-a-newer-build)"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: newer)) == bytes)
    }

    @Test(arguments: StorageKind.tested) func channelsAreListedDeletedWithTheirMessagesAndGivenToAnotherOwner(_ storage: StorageKind) async throws {
        try await DisabledUserTests.withServerAndAdministration(on: storage) { server, administration in
            let (_, alice) = try await server.user("alice")
            let (_, bob) = try await server.user("bob")
            let doomed = try await server.channel("doomed", token: alice)
            let kept = try await server.channel("kept", isPrivate: true, token: alice)
            _ = try await server.post("doomed words", in: doomed.id, token: alice)

            let channels = try await administration.channels()
            #expect(channels.map(\.name) == ["doomed", "kept"])
            #expect(channels.first?.owner == "alice" && channels.first?.messageCount == 1 && channels.last?.isPrivate == true)
            #expect(try await administration.deleteChannel(named: "doomed") == "deleted #doomed and its 1 messages")
            expectError(try await server.request(.GET, "/api/v1/channels/\(doomed.id)", token: alice), 404, .notFound)
            #expect(try await server.request(.GET, "/api/v1/messages/search?q=doomed", token: alice).decode([Message].self).isEmpty)

            #expect(try await administration.setOwner(channel: "kept", username: "bob") == "#kept is now owned by bob (was alice)")
            let members = try await server.request(.GET, "/api/v1/channels/\(kept.id)/members", token: bob).decode([Member].self)
            #expect(members.map(\.user.username) == ["bob", "alice"] && members.map(\.role) == [.owner, .member])
            #expect(try await server.request(.GET, "/api/v1/channels/\(kept.id)", token: bob).decode(PythiaProtocol.Channel.self).createdBy
                == (try await server.request(.GET, "/api/v1/auth/me", token: bob).decode(User.self).id))
        }
    }

    @Test func aPostgreSQLFailureSaysTheServersMessageInOneLine() async throws {
        guard StorageKind.tested.contains(.postgres) else { return }
        try await DisabledUserTests.withServerAndAdministration(on: .postgres) { server, administration in
            _ = try await server.user("alice")
            let postgres = try #require(administration.storage as? PostgresStorage)
            try await postgres.withConnection { connection in _ = try await connection.query("DROP TABLE account_changes", logger: postgres.logger) }
            do throws(AdminError) {
                let report = try await administration.setDisabled(true, username: "alice")
                Issue.record("a write without its table succeeded: \(report)")
            } catch {
                #expect(error.description == #"the database at \#(server.database) failed: relation "account_changes" does not exist"#)
            }
            #expect(try await administration.users().first?.isDisabled == false)
        }
    }

    // SQLite only: about the file's write lock (PostgreSQL locks rows, not the database).
    @Test func aDatabaseLockedByAnotherWriterIsOneLineAndNothingChanges() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("chat.sqlite").path
        let storage = try SQLiteStorage(path: path)
        _ = try await storage.createUser(username: "alice", email: "alice@example.com", passwordHash: "!")
        let administration = try ServerAdministration(databasePath: path, busyTimeout: 0.2)
        defer { Task { await administration.close() } }
        // Another process's long write: the write lock held until the test lets it go.
        var holding = Configuration()
        holding.allowsUnsafeTransactions = true
        let holder = try DatabaseQueue(path: path, configuration: holding)
        try await holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        do {
            let report = try await administration.setDisabled(true, username: "alice")
            Issue.record("a locked database was written: \(report)")
        } catch {
            #expect(error.description == "the database at \(path) failed: the database is locked by another process; try again")
        }
        try await holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        try holder.close()
        #expect(try await administration.users().first?.isDisabled == false)
        await storage.close()
    }
}
