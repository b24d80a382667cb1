import Foundation
import NIOHTTP1
import HummingbirdBcrypt
@testable import PythiaServer
import PythiaProtocol
import Testing

/// Passwords: every character counts, NUL is refused, old hashes keep working.
@Suite("Passwords")
struct PasswordTests {
    static func register(_ server: TestServer, _ name: String, password: String) async throws -> HTTPResult {
        let body = try PythiaJSON.encode(RegisterRequest(username: name, email: "\(name)@example.com", password: password))
        return try await server.request(.POST, "/api/v1/auth/register", json: String(decoding: body, as: UTF8.self))
    }

    static func login(_ server: TestServer, _ name: String, password: String) async throws -> Int {
        let body = try PythiaJSON.encode(LoginRequest(username: name, password: password))
        return try await server.request(.POST, "/api/v1/auth/login", json: String(decoding: body, as: UTF8.self)).status
    }

    @Test(arguments: StorageKind.tested) func aPasswordWithNULIsRefused(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            expectError(try await Self.register(server, "alice", password: "\u{0}password-123"), 422, .validationError)
            expectError(try await Self.register(server, "alice", password: "password\u{0}-123"), 422, .validationError)
            #expect(try await Self.register(server, "alice", password: "password-123").status == 201)
        }
    }

    @Test(arguments: StorageKind.tested) func everyCharacterCountsPastBcrypts72Bytes(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server throws in
            let prefix = String(repeating: "é", count: 40)  // 80 bytes of UTF-8
            #expect(try await Self.register(server, "alice", password: prefix + "A").status == 201)
            #expect(try await Self.login(server, "alice", password: prefix + "A") == 200)
            #expect(try await Self.login(server, "alice", password: prefix + "B") == 401)
            #expect(try await Self.login(server, "alice", password: prefix) == 401)
        }
    }

    @Test(arguments: StorageKind.tested) func anOldHashStillVerifiesAndIsReplacedAtLogin(_ storage: StorageKind) async throws {
        let interceptor = StorageInterceptor()
        try await withTestServer(on: storage) { $0.wrapStorage = interceptor.wrap } run: { server in
            let storage = try #require(interceptor.base)
            let (alice, _) = try await server.user("alice")
            // A hash as the server made it before: bcrypt of the password itself.
            try await storage.setPasswordHash(Bcrypt.hash("legacy-password", cost: 4), userId: alice.id)
            #expect(try await Self.login(server, "alice", password: "wrong-password") == 401)
            #expect(try await Self.login(server, "alice", password: "legacy-password") == 200)
            let upgraded = try #require(try await storage.credentials(for: "alice")).passwordHash
            #expect(upgraded.hasPrefix(PasswordHasher.digestPrefix))
            #expect(try await Self.login(server, "alice", password: "legacy-password") == 200)
            #expect(try await Self.login(server, "alice", password: "legacy-passwore") == 401)

            // The old scheme stopped at a NUL: a password starting with one was stored as "",
            // which no password with a NUL may match now.
            let (bob, _) = try await server.user("bob")
            try await storage.setPasswordHash(Bcrypt.hash("\u{0}secret-one", cost: 4), userId: bob.id)
            #expect(try await Self.login(server, "bob", password: "\u{0}another-1") == 401)
        }
    }

    @Test(arguments: StorageKind.tested) func accountsMadeForLocalModeHaveNoUsablePassword(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            _ = try await server.server.provisionLocalAccount(username: "local")
            #expect(try await Self.login(server, "local", password: "anything-at-all") == 401)
        }
    }

    /// Start-up hashes nothing: at bcrypt's highest cost (days per hash) the server still
    /// starts at once. It used to hash a throwaway password for the decoy below.
    @Test(.timeLimit(.minutes(1))) func startingHashesNoPassword() async throws {
        let server = try await TestServer.start { $0.bcryptCost = 31 }
        await server.stop()
    }

    /// A login naming no user is checked against a decoy of the configured cost, which no
    /// password matches, so that it takes as long as a wrong password.
    @Test func theDecoyCostsWhatARealHashCosts() async throws {
        let hasher = PasswordHasher(cost: 6, limit: 4)
        let decoy = hasher.decoyHash()
        #expect(decoy.hasPrefix(PasswordHasher.digestPrefix + "$2b$06$") && decoy.count == PasswordHasher.digestPrefix.count + 60)
        #expect(decoy != hasher.decoyHash())
        #expect(try await !hasher.verify("anything", against: decoy))
        #expect(PasswordHasher(cost: 12, limit: 1).decoyHash().hasPrefix(PasswordHasher.digestPrefix + "$2b$12$"))
        // Real time is what is measured: checking against the decoy runs bcrypt's full cost
        // (cost 10: tens of milliseconds), as a real hash does, not an early refusal.
        let slow = PasswordHasher(cost: 10, limit: 4)
        let real = try await slow.hash("some password")
        let slowDecoy = slow.decoyHash()
        // The fastest of a few alternating checks of each: a loaded machine only adds time,
        // and an early refusal would take microseconds whatever the load.
        let clock = ContinuousClock()
        var againstReal = Duration.seconds(3600), againstDecoy = Duration.seconds(3600)
        for _ in 0..<3 {
            againstReal = min(againstReal, try await clock.measure { _ = try await slow.verify("wrong password", against: real) })
            againstDecoy = min(againstDecoy, try await clock.measure { _ = try await slow.verify("wrong password", against: slowDecoy) })
        }
        // Loose on purpose: under a CPU hog one side's fastest check was once 3× the other's.
        // An early refusal stays far below both bounds.
        #expect(againstDecoy > againstReal / 20 && againstDecoy > .milliseconds(5), "decoy \(againstDecoy), real \(againstReal)")
    }

    @Test func bcryptCostIs12UnlessConfigured() {
        #expect(ServerConfiguration(databasePath: "/tmp/x.sqlite").bcryptCost == 12)
    }
}
