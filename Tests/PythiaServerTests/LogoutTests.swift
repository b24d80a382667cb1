import Foundation
import GRDB
import JWTKit
import NIOHTTP1
import NIOWebSocket
@testable import PythiaServer
import PythiaProtocol
import Testing
import WSCore

/// `POST /api/v1/auth/logout` and `?all=true`: what ends, where (REST, the handshake, live
/// sockets, refresh), and what keeps working.
@Suite("Logout")
struct LogoutTests {
    /// A second token of `name`, as another device's login gets.
    private func login(_ name: String, on server: TestServer) async throws -> String {
        try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"\#(name)","password":"password-123"}"#)
            .decode(TokenResponse.self).accessToken
    }

    /// A token as an operator mints it with the secret: `sub`, `username`, `iat`, `exp` only.
    private func operatorMinted(for user: User, secondsAgo: Int = 0) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: TestServer.secret), digestAlgorithm: .sha256)
        let issued = Int(Date().timeIntervalSince1970) - secondsAgo
        return try await keys.sign(TestClaims(sub: user.id, username: user.username, iat: issued, exp: issued + 600))
    }

    private func handshakeStatus(_ token: String, _ server: TestServer) async throws -> String {
        try await RawWebSocket.statusLine(port: server.server.port, query: "?token=\(token)")
    }

    @Test(arguments: StorageKind.tested) func logoutEndsThisTokenOnRESTAtTheHandshakeAndOnItsSocketOnly(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, phone) = try await server.user("alice")
            let laptop = try await login("alice", on: server)
            let phoneSocket = try await server.connect(phone)
            let laptopSocket = try await server.connect(laptop)
            try await phoneSocket.next("connection_established")
            try await laptopSocket.next("connection_established")

            let loggedOut = try await server.request(.POST, "/api/v1/auth/logout", token: phone)
            #expect(loggedOut.status == 204, "\(loggedOut.text)")
            let close = try await phoneSocket.closeFrame()
            #expect(close?.closeCode == .policyViolation)
            #expect(close?.reason == "logged out")
            expectError(try await server.request(.GET, "/api/v1/auth/me", token: phone), 401, .unauthorized)
            expectError(try await server.request(.POST, "/api/v1/auth/refresh", token: phone), 401, .unauthorized)
            expectError(try await server.request(.POST, "/api/v1/auth/logout", token: phone), 401, .unauthorized)
            #expect(try await handshakeStatus(phone, server) == "HTTP/1.1 401 Unauthorized")

            // The other device's token and socket are untouched.
            #expect(try await server.request(.GET, "/api/v1/auth/me", token: laptop).status == 200)
            try await laptopSocket.barrier()
            #expect(!laptopSocket.finished)
            #expect(try await handshakeStatus(laptop, server) == "HTTP/1.1 101 Switching Protocols")
            await laptopSocket.close()
        }
    }

    @Test(arguments: StorageKind.tested) func logoutOfEveryTokenEndsThemAllAndRefreshKeepsTheNewGeneration(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (alice, phone) = try await server.user("alice")
            let (_, bob) = try await server.user("bob")
            let laptop = try await login("alice", on: server)
            let refreshedBefore = try await server.request(.POST, "/api/v1/auth/refresh", token: laptop).decode(TokenResponse.self).accessToken
            let integration = try await operatorMinted(for: alice)
            let sockets = [try await server.connect(phone), try await server.connect(integration)]
            let bobSocket = try await server.connect(bob)
            for socket in sockets + [bobSocket] { try await socket.next("connection_established") }

            #expect(try await server.request(.POST, "/api/v1/auth/logout?all=true", token: laptop).status == 204)
            for socket in sockets {
                let close = try await socket.closeFrame()
                #expect(close?.closeCode == .policyViolation && close?.reason == "logged out")
            }
            for token in [phone, laptop, refreshedBefore, integration] {
                expectError(try await server.request(.GET, "/api/v1/auth/me", token: token), 401, .unauthorized)
                expectError(try await server.request(.POST, "/api/v1/auth/refresh", token: token), 401, .unauthorized)
                #expect(try await handshakeStatus(token, server) == "HTTP/1.1 401 Unauthorized")
            }
            // Another user is untouched; a new login, and its refresh, work.
            try await bobSocket.barrier()
            #expect(!bobSocket.finished)
            let fresh = try await login("alice", on: server)
            let refreshed = try await server.request(.POST, "/api/v1/auth/refresh", token: fresh).decode(TokenResponse.self).accessToken
            #expect(try await server.request(.GET, "/api/v1/auth/me", token: refreshed).status == 200)
            #expect(try await handshakeStatus(fresh, server) == "HTTP/1.1 101 Switching Protocols")
            await bobSocket.close()
        }
    }

    @Test(arguments: StorageKind.tested) func anOperatorMintedTokenWorksUntilLoggedOutAndCanBeLoggedOutAlone(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (alice, token) = try await server.user("alice")
            // Two, a second apart: another `iat`, so another token.
            let first = try await operatorMinted(for: alice, secondsAgo: 1)
            let second = try await operatorMinted(for: alice)
            #expect(first != second)
            let socket = try await server.connect(first)
            try await socket.next("connection_established")
            #expect(try await server.request(.GET, "/api/v1/auth/me", token: first).status == 200)

            #expect(try await server.request(.POST, "/api/v1/auth/logout", token: first).status == 204)
            #expect(try await socket.closeFrame()?.reason == "logged out")
            expectError(try await server.request(.GET, "/api/v1/auth/me", token: first), 401, .unauthorized)
            #expect(try await server.request(.GET, "/api/v1/auth/me", token: second).status == 200)
            #expect(try await server.request(.GET, "/api/v1/auth/me", token: token).status == 200)
        }
    }

    /// SQLite's table read directly; PostgresStorageTests has the same for PostgreSQL.
    @Test func revocationsPastTheirExpiryArePruned() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-prune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteStorage(path: directory.appendingPathComponent("chat.sqlite").path)
        try await storage.revokeToken(id: "jti:old", expiresAt: Date(timeIntervalSinceNow: -60))
        try await storage.revokeToken(id: "jti:far", expiresAt: Date(timeIntervalSince1970: 1e300))
        try await storage.revokeToken(id: "jti:new", expiresAt: Date(timeIntervalSinceNow: 3600))
        let left = try await storage.pool.read { db in try String.fetchAll(db, sql: "SELECT token_id FROM revoked_tokens ORDER BY token_id") }
        #expect(left == ["jti:far", "jti:new"])
        await storage.close()
    }

    /// A socket reads its token's standing once, as it registers: a logout committed after
    /// that read (the registration held there) must still close it, and only it.
    @Test(arguments: StorageKind.tested) func aLogoutWhileASocketRegistersClosesThatSocketOnly(_ storage: StorageKind) async throws {
        let interceptor = StorageInterceptor()
        try await withTestServer(on: storage) { $0.wrapStorage = interceptor.wrap } run: { server in
            let (alice, phone) = try await server.user("alice")
            let laptop = try await login("alice", on: server)
            let tablet = try await login("alice", on: server)

            /// Opens a socket with `token`, holds its handshake after its read (the one its
            /// registration uses), logs out with `logout`, then lets it upgrade and register.
            func socket(_ token: String, registeringWhile logout: () async throws -> Void) async throws -> WSProbe {
                let registration = interceptor.holdOnce("socketStanding(userId:tokenId:) returned", ids: [alice.id])
                async let socket = server.connect(token)
                await registration.waitUntilHeld()
                try await logout()
                registration.release()
                return try await socket
            }
            // The phone's logout: the laptop's socket, registering meanwhile, is another token's.
            let laptopSocket = try await socket(laptop) {
                let status = try await server.request(.POST, "/api/v1/auth/logout", token: phone).status
                #expect(status == 204)
            }
            try await laptopSocket.next("connection_established")
            try await laptopSocket.barrier()
            #expect(!laptopSocket.finished)
            // The tablet's own logout, while its socket registers.
            let tabletSocket = try await socket(tablet) {
                let status = try await server.request(.POST, "/api/v1/auth/logout", token: tablet).status
                #expect(status == 204)
            }
            #expect(try await tabletSocket.closeFrame()?.reason == "logged out")
            // Every token at once, while a fresh login's socket registers: it goes, and so does the laptop's.
            let fresh = try await login("alice", on: server)
            let freshSocket = try await socket(fresh) {
                let status = try await server.request(.POST, "/api/v1/auth/logout?all=true", token: laptop).status
                #expect(status == 204)
            }
            #expect(try await freshSocket.closeFrame()?.reason == "logged out")
            #expect(try await laptopSocket.closeFrame()?.reason == "logged out")
        }
    }
}
