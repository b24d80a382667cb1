import Foundation
import NIOHTTP1
import WSCore
import GRDB
@testable import PythiaServer
import PythiaProtocol
import Synchronization
import Testing

/// `pythia-chat admin backup` while the server takes posts, and `restore`.
@Suite("Backup and restore")
struct BackupRestoreTests {
    @Test func aBackupDuringAStreamOfPostsRestoresEveryMessageAcknowledgedBeforeIt() async throws {
        try await withTestServer { $0.restWriteRate = RateLimit(perSecond: 10_000, burst: 10_000) } run: { server in
            let database = server.directory.appendingPathComponent("chat.sqlite").path
            let backup = server.directory.appendingPathComponent("backup.sqlite").path
            let (_, token) = try await server.user("alice")
            let channel = try await server.channel("stream", token: token)
            let acknowledged = Mutex<[String]>([])
            let posting = Mutex(true)
            let poster = Task {
                var index = 0
                while posting.withLock({ $0 }) {
                    let result = try await server.post("message \(index)", in: channel.id, token: token)
                    if result.status == 201 {
                        let id = try result.decode(Message.self).id
                        acknowledged.withLock { $0.append(id) }
                    }
                    index += 1
                }
            }
            let probe = try await WSProbe.connect(url: "\(server.wsBase)?token=\(token)")
            // Progress, not speed: every commit is synced, and a loaded disk syncs slowly.
            try await probe.waitUntil("30 posts", within: .seconds(90)) { acknowledged.withLock { $0.count } >= 30 }
            let beforeBackup = acknowledged.withLock { $0 }
            let administration = try await ServerAdministration.open(server.database, bcryptCost: 4)
            let report = try await administration.backup(to: backup)
            await administration.close()
            let afterBackup = acknowledged.withLock { $0.count }
            try await probe.waitUntil("30 more posts", within: .seconds(90)) { acknowledged.withLock { $0.count } >= afterBackup + 30 }
            posting.withLock { $0 = false }
            try await poster.value
            await probe.close()
            #expect(report.hasPrefix("backed up \(database) to \(backup)"))
            let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            // Refused while the server holds the database.
            #expect {
                try ServerAdministration.restore(databasePath: database, from: backup)
            } throws: { error in
                (error as? AdminError)?.description.contains("is running on \(database); stop it first") == true
            }
            await server.server.shutdown()
            let all = acknowledged.withLock { $0 }
            let restoredReport = try ServerAdministration.restore(databasePath: database, from: backup)
            #expect(restoredReport.hasSuffix("the previous database is kept as \(database).before-restore"))

            try await withTestServer { $0.databasePath = database } run: { restarted in
                let login = #"{"username":"alice","password":"password-123"}"#
                let fresh = try await restarted.request(.POST, "/api/v1/auth/login", json: login).decode(TokenResponse.self).accessToken
                // Fewer than a page: the posts stop 30 after the backup.
                let restored = try await restarted.request(.GET, "/api/v1/messages/?channel_id=\(channel.id)&limit=200", token: fresh)
                    .decode([Message].self).map(\.id)
                try #require(all.count < 200)
                // Every message acknowledged before the backup began, and a consistent snapshot: the
                // messages in storage order up to some point, none missing in between.
                #expect(Set(beforeBackup).isSubset(of: Set(restored)), "\(beforeBackup.count) acknowledged before, \(restored.count) restored")
                #expect(restored == Array(all.prefix(restored.count)))
                #expect(restored.count < all.count)
                // The replaced database is kept, whole.
                let kept = try DatabaseQueue(path: database + ".before-restore")
                #expect(try await kept.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages") } == all.count)
                try kept.close()
            }
        }
    }

    @Test func aFileThatIsNotASoundBackupIsRefusedBeforeAnythingIsReplaced() async throws {
        let directory = try AdministrationTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("chat.sqlite").path
        let storage = try SQLiteStorage(path: database)
        _ = try await storage.createUser(username: "alice", email: "alice@example.com", passwordHash: "!")
        await storage.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: database))

        let garbage = directory.appendingPathComponent("garbage").path
        try Data(repeating: 7, count: 8192).write(to: URL(fileURLWithPath: garbage))
        let foreign = directory.appendingPathComponent("foreign.sqlite").path
        let foreignQueue = try DatabaseQueue(path: foreign)
        try await foreignQueue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        try foreignQueue.close()
        let newer = directory.appendingPathComponent("newer.sqlite").path
        let newerStorage = try SQLiteStorage(path: newer)
        try await newerStorage.pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-newer')") }
        await newerStorage.close()
        let corrupt = directory.appendingPathComponent("corrupt.sqlite").path
        var damaged = try Data(contentsOf: URL(fileURLWithPath: newer))
        damaged.replaceSubrange(4096..<min(damaged.count, 12_288), with: Data(repeating: 0xA5, count: min(damaged.count, 12_288) - 4096))
        try damaged.write(to: URL(fileURLWithPath: corrupt))

        let cases = [
            (garbage, "it is not a pythia-chat database"),
            (foreign, "it is not a pythia-chat database"),
            (newer, "a newer pythia-chat wrote it (migration v9-newer)"),
            (corrupt, "cannot be restored"),
            (directory.appendingPathComponent("absent").path, "there is no such file"),
        ]
        for (file, message) in cases {
            do {
                _ = try ServerAdministration.restore(databasePath: database, from: file)
                Issue.record("\(file) was restored")
            } catch {
                #expect(error.description.contains(message) && error.description.hasSuffix("nothing was changed"), "\(error.description)")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: database + ".before-restore"))
    }

    @Test func aServerDoesNotStartWhileARestoreHoldsTheDatabase() async throws {
        let directory = try AdministrationTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("chat.sqlite").path
        let restoring = try DatabaseLock.acquire(forDatabaseAt: database, exclusive: true)
        do {
            let server = try await TestServer.start { $0.databasePath = database }
            await server.stop()
            Issue.record("a server started during a restore")
        } catch let error as ServerError {
            #expect(error.description.contains("a restore (pid \(getpid())) is replacing it"), "\(error.description)")
        }
        restoring.release()
        let server = try await TestServer.start { $0.databasePath = database }
        await server.stop()
    }
}
