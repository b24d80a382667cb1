import Foundation
import InMemoryLogging
import Logging
import NIOHTTP1
import PostgresNIO
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Testing

/// What PostgreSQL storage adds to the server suite (which runs on both storages): starting
/// against a database that is missing, shared or newer, and racing writes of several callers.
@Suite struct PostgresStorageTests {
    static func open(_ url: String, timeout: Duration = .seconds(30)) async throws -> PostgresStorage {
        try await PostgresStorage.open(try PostgresLocation(url: url), poolSize: 4, timeout: timeout, logger: Logger(label: "test"))
    }

    @Test func anUnreachableDatabaseAtStartIsOneErrorNamingTheAddressAndTheCause() async throws {
        let port = try RestartablePort.reserve() // nothing listens there
        await #expect { try await Self.open("postgres://postgres:secret-pw@127.0.0.1:\(port)/pythia") } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:\(port)") && text.lowercased().contains("refused")
                && !text.contains("secret-pw") && !text.contains("\n")
        }
        let server = try #require(URLComponents(string: try await TestPostgres.serverURL()))
        let missing = "postgres://postgres@127.0.0.1:\(server.port ?? 0)/no_such_database"
        await #expect { try await Self.open(missing) } throws: { "\($0)".contains("\"no_such_database\" does not exist") }
    }

    /// The storage's pool and the cluster's two pools are asked for connections as soon as
    /// they exist: before their `run()`, postgres-nio warns at each start (the request waits).
    @Test func aServerOnPostgresStartsWithoutAWarning() async throws {
        let logs = InMemoryLogHandler()
        for _ in 0..<5 {
            let server = try await TestServer.start(on: .postgres) {
                $0.logger = Logger(label: "pythia-chat.server") { _ in logs }
                $0.logger.logLevel = .warning
            }
            #expect(try await server.request(.GET, "/health").status == 200)
            await server.stop()
        }
        #expect(logs.entries.isEmpty, "\(logs.entries.map { "\($0.level): \($0.message)" })")
    }

    @Test func withPostgresTheJWTSecretMustBeConfigured() throws {
        #expect { try SecretStore.secret(configured: nil, databasePath: nil, environment: [:]) } throws: { error in
            "\(error)".contains("PYTHIA_JWT_SECRET") && "\(error)".contains("every server process")
        }
        #expect(try SecretStore.secret(configured: nil, databasePath: nil, environment: ["PYTHIA_JWT_SECRET": TestServer.secret]) == TestServer.secret)
    }

    @Test func twoProcessesMigratingOneEmptyDatabaseAtOnceBothStart() async throws {
        let url = try await TestPostgres.freshDatabase()
        async let first = Self.open(url)
        async let second = Self.open(url)
        let (a, b) = try await (first, second)
        let applied = try await a.withConnection { connection in
            try await PostgresStorage.rows("SELECT identifier FROM schema_migrations", on: connection, logger: Logger(label: "test"))
                .map { try $0["identifier"].decode(String.self) }
        }
        #expect(applied.sorted() == PostgresSchema.migrations.map(\.identifier).sorted())
        #expect(try await b.hasChannels() == false)
        await a.close()
        await b.close()
    }

    @Test func aDatabaseMigratedByANewerBuildIsRefusedUntouched() async throws {
        let url = try await TestPostgres.freshDatabase()
        let storage = try await Self.open(url)
        _ = try await storage.withConnection { connection in
            try await connection.query("INSERT INTO schema_migrations VALUES ('v99 from the future', 0)", logger: Logger(label: "test"))
        }
        await storage.close()
        await #expect { try await Self.open(url) } throws: { error in
            "\(error)".contains("newer pythia-chat (migration v99 from the future)")
        }
    }

    @Test func identicalPostsRacingMakeOneMessageAndEveryRetryGetsIt() async throws {
        let storage = try await Self.open(try await TestPostgres.freshDatabase())
        let user = try await storage.createUser(username: "alice", email: "a@example.com", passwordHash: "x")
        let channel = try await storage.createChannel(name: "general", description: "", isPrivate: false, ownerId: user.id)
        let results = try await withThrowingTaskGroup(of: (Message, Bool).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let posted = try await storage.postMessage(
                        channelId: channel.id, userId: user.id, content: "once", clientId: "retry-1", mentioning: [],
                        announce: { _, _ in [] }, through: RecordingBroker())
                    return (posted.message, posted.created)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter(\.1).count == 1)
        #expect(Set(results.map(\.0.id)).count == 1)
        #expect(try await storage.history(channelId: channel.id, before: nil, after: nil, limit: 50).count == 1)
        await storage.close()
    }

    @Test func twoRegistrationsOfOneNameAtOnceMakeOneUserAndAConflict() async throws {
        let storage = try await Self.open(try await TestPostgres.freshDatabase())
        let outcomes = await withTaskGroup(of: String.self) { group in
            for index in 0..<6 {
                group.addTask {
                    do {
                        _ = try await storage.createUser(username: "Bob", email: "bob\(index)@example.com", passwordHash: "x")
                        return "created"
                    } catch StorageError.conflict(let field) {
                        return field
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.sorted() == ["created"] + Array(repeating: "username", count: 5), "\(outcomes)")
        await storage.close()
    }

    @Test func revocationsPastTheirExpiryArePrunedAndAnyExpiryIsStored() async throws {
        let storage = try await Self.open(try await TestPostgres.freshDatabase())
        try await storage.revokeToken(id: "jti:old", expiresAt: Date(timeIntervalSinceNow: -60))
        try await storage.revokeToken(id: "jti:far", expiresAt: Date(timeIntervalSince1970: 1e300))
        try await storage.revokeToken(id: "jti:new", expiresAt: Date(timeIntervalSinceNow: 3600))
        let left = try await storage.withConnection { connection in
            try await PostgresStorage.rows("SELECT token_id FROM revoked_tokens ORDER BY token_id", on: connection, logger: Logger(label: "test"))
                .map { try $0["token_id"].decode(String.self) }
        }
        #expect(left == ["jti:far", "jti:new"])
        await storage.close()
    }
}
