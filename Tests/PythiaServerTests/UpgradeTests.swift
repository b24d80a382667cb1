import Foundation
import GRDB
import HummingbirdBcrypt
import NIOHTTP1
@testable import PythiaServer
import PythiaProtocol
import Testing

/// Upgrades: migrations are forward-only; a database of the first released schema is
/// migrated with everything in it readable; one a newer build wrote is refused untouched.
@Suite("Upgrades")
struct UpgradeTests {
    /// The first released schema: migration `v1` exactly as of commit ff479c5.
    private static let firstReleaseSchema = """
            CREATE TABLE users (
                id TEXT PRIMARY KEY NOT NULL,
                username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                password_hash TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE channels (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                description TEXT NOT NULL DEFAULT '',
                is_private INTEGER NOT NULL DEFAULT 0,
                created_by TEXT NOT NULL REFERENCES users(id),
                created_at INTEGER NOT NULL
            );
            CREATE TABLE memberships (
                channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                joined_at INTEGER NOT NULL,
                PRIMARY KEY (channel_id, user_id)
            ) WITHOUT ROWID;
            CREATE INDEX memberships_by_user ON memberships(user_id);
            CREATE TABLE messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id),
                content TEXT NOT NULL,
                client_id TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                deleted INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX messages_by_channel ON messages(channel_id, seq);
            CREATE UNIQUE INDEX messages_by_client_id ON messages(user_id, client_id) WHERE client_id IS NOT NULL;
            CREATE TABLE reactions (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id),
                emoji TEXT NOT NULL,
                UNIQUE (message_id, user_id, emoji)
            );
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations (identifier) VALUES ('v1');
        """

    private static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aDatabaseOfTheFirstReleaseIsMigratedAndEverythingInItIsReadable() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("chat.sqlite").path
        // Hashes of that release: bcrypt of the password itself.
        let aliceHash = Bcrypt.hash("password-123", cost: 4)
        let bobHash = Bcrypt.hash("password-456", cost: 4)
        let old = try DatabaseQueue(path: path)
        try await old.write { db in
            try db.execute(sql: Self.firstReleaseSchema)
            try db.execute(sql: """
                INSERT INTO users VALUES ('a1', 'alice', 'alice@example.com', ?, 1700000000000);
                INSERT INTO users VALUES ('b2', 'bob', 'bob@example.com', ?, 1700000001000);
                INSERT INTO channels VALUES ('c3', 'general', 'Everyone', 0, 'a1', 1700000002000);
                INSERT INTO memberships VALUES ('c3', 'a1', 'owner', 1700000002000), ('c3', 'b2', 'member', 1700000003000);
                INSERT INTO messages (id, channel_id, user_id, content, client_id, created_at, updated_at, deleted) VALUES
                    ('m1', 'c3', 'a1', 'hello from the first release', 'client-1', 1700000004000, 1700000004000, 0),
                    ('m2', 'c3', 'b2', 'gone', NULL, 1700000005000, 1700000005000, 1),
                    ('m3', 'c3', 'b2', 'still here', NULL, 1700000006000, 1700000007000, 0);
                INSERT INTO reactions (message_id, user_id, emoji) VALUES ('m1', 'b2', '👍');
                """, arguments: [aliceHash, bobHash])
        }
        try old.close()

        try await withTestServer { $0.databasePath = path } run: { server in
            let login = try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"alice","password":"password-123"}"#)
            let alice = try login.decode(TokenResponse.self)
            #expect(alice.user.id == "a1" && alice.user.email == "alice@example.com")
            let channels = try await server.request(.GET, "/api/v1/channels/", token: alice.accessToken).decode([PythiaProtocol.Channel].self)
            #expect(channels.map(\.name) == ["general"] && channels.first?.memberCount == 2 && channels.first?.description == "Everyone")
            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=c3", token: alice.accessToken).decode([Message].self)
            #expect(history.map(\.id) == ["m1", "m3"])
            #expect(history.first?.content == "hello from the first release" && history.first?.user.username == "alice")
            #expect(history.first?.reactions.map(\.emoji) == ["👍"] && history.first?.reactions.first?.userIds == ["b2"])
            #expect(history.last?.updatedAt != history.last?.createdAt)
            // The stored client_id still makes a retry idempotent.
            let retry = try await server.post("again", in: "c3", token: alice.accessToken, clientId: "client-1")
            let retried = try retry.decode(Message.self)
            #expect(retry.status == 200 && retried.id == "m1")
            #expect(try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"bob","password":"password-456"}"#).status == 200)
            // What the new migration added works on the old rows.
            #expect(try await server.request(.POST, "/api/v1/auth/logout?all=true", token: alice.accessToken).status == 204)
            expectError(try await server.request(.GET, "/api/v1/auth/me", token: alice.accessToken), 401, .unauthorized)

            let migrations = try await DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            #expect(Set(migrations) == Set(SQLiteSchema.migrator.migrations))
        }
    }

    @Test func aDatabaseANewerBuildMigratedIsRefusedAndLeftUntouched() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("chat.sqlite").path
        let storage = try SQLiteStorage(path: path)
        _ = try await storage.createUser(username: "alice", email: "alice@example.com", passwordHash: "!")
        try await storage.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-a-newer-build')")
        }
        await storage.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date

        let configuration = ServerConfiguration(port: 0, databasePath: path, jwtSecret: TestServer.secret, bcryptCost: 4)
        do {
            let server = try await ChatServer.start(configuration)
            await server.shutdown()
            Issue.record("a database of a newer build was opened")
        } catch let error as ServerError {
            #expect(error.description == "cannot open the database \(path): this database was written by a newer pythia-chat "
                + "(migration v9-from-a-newer-build); upgrade pythia-chat or restore a backup")
        }
        let bytesAfter = try Data(contentsOf: URL(fileURLWithPath: path))
        let modifiedAfter = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        #expect(bytesAfter == bytes)
        #expect(modifiedAfter == modified)
    }
}
