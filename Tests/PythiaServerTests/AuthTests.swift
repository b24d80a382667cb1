import WSCore
@testable import PythiaServer
import PythiaTestSupport
import Logging
import NIOHTTP1
import NIOWebSocket
import Foundation
import JWTKit
import PythiaProtocol
import Testing

@Suite("Authentication")
struct AuthTests {
    @Test(arguments: StorageKind.tested) func registerValidatesAndRefusesDuplicates(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let created = try await server.request(.POST, "/api/v1/auth/register",
                json: #"{"username":"alice","email":"alice@example.com","password":"password-123"}"#)
            #expect(created.status == 201)
            let user = try created.decode(User.self)
            #expect(user.username == "alice" && user.createdAt != nil)
            expectError(try await server.request(.POST, "/api/v1/auth/register",
                json: #"{"username":"ALICE","email":"other@example.com","password":"password-123"}"#), 409, .conflict)
            expectError(try await server.request(.POST, "/api/v1/auth/register",
                json: #"{"username":"carol","email":"Alice@Example.com","password":"password-123"}"#), 409, .conflict)
            expectError(try await server.request(.POST, "/api/v1/auth/register",
                json: #"{"username":"x","email":"x@example.com","password":"password-123"}"#), 422, .validationError)
            expectError(try await server.request(.POST, "/api/v1/auth/register",
                json: #"{"username":"carol","email":"carol@example.com","password":"short"}"#), 422, .validationError)
            expectError(try await server.request(.POST, "/api/v1/auth/register", json: #"{"username":"carol"}"#), 422, .validationError)
            expectError(try await server.request(.POST, "/api/v1/auth/register", json: #"{"username":5,"email":"a@b","password":"password-123"}"#), 422, .validationError)
            expectError(try await server.request(.POST, "/api/v1/auth/register", json: "not json"), 400, .invalidJSON)
            expectError(try await server.request(.POST, "/api/v1/auth/register", json: "[1,2]"), 400, .invalidJSON)
            let huge = #"{"username":""# + String(repeating: "a", count: 70_000) + #""}"#
            expectError(try await server.request(.POST, "/api/v1/auth/register", json: huge), 413, .payloadTooLarge)
        }
    }

    @Test(arguments: StorageKind.tested) func loginWithJSONFormOrEmailThenMeAndRefresh(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (user, token) = try await server.user("alice")
            let form = try await server.request(.POST, "/api/v1/auth/login",
                json: "username=alice&password=password-123", contentType: "application/x-www-form-urlencoded")
            #expect(form.status == 200)
            #expect(try form.decode(TokenResponse.self).tokenType == "bearer")
            let byEmail = try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"alice@example.com","password":"password-123"}"#)
            #expect(byEmail.status == 200)
            let wrongPassword = try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"alice","password":"password-999"}"#)
            let unknownUser = try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"nobody","password":"password-999"}"#)
            expectError(wrongPassword, 401, .unauthorized)
            #expect(wrongPassword.error?.detail == unknownUser.error?.detail)
            let me = try await server.request(.GET, "/api/v1/auth/me", token: token)
            #expect(try me.decode(User.self).id == user.id)
            let refreshed = try await server.request(.POST, "/api/v1/auth/refresh", token: token)
            let fresh = try refreshed.decode(TokenResponse.self)
            #expect(fresh.expiresIn == 86_400 && fresh.user.id == user.id)
            #expect(try await server.request(.GET, "/api/v1/auth/me", token: fresh.accessToken).status == 200)
        }
    }

    @Test(arguments: StorageKind.tested) func forgedExpiredAndMalformedTokensAreRefusedEverywhere(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (user, token) = try await server.user("alice")
            let parts = token.split(separator: ".").map(String.init)
            func base64URL(_ text: String) -> String {
                Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                    .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            }
            let now = Int(Date().timeIntervalSince1970)
            let claims = #"{"sub":"\#(user.id)","username":"alice","iat":\#(now),"exp":\#(now + 3600)}"#
            let algNone = base64URL(#"{"alg":"none","typ":"JWT"}"#) + "." + base64URL(claims) + "."
            let wrongKeys = JWTKeyCollection()
            await wrongKeys.add(hmac: HMACKey(from: "another-secret-another-secret-another-secret"), digestAlgorithm: .sha256)
            let rightKeys = JWTKeyCollection()
            await rightKeys.add(hmac: HMACKey(from: TestServer.secret), digestAlgorithm: .sha256)
            let wrongKey = try await wrongKeys.sign(TestClaims(sub: user.id, username: "alice", iat: now, exp: now + 3600))
            let expired = try await rightKeys.sign(TestClaims(sub: user.id, username: "alice", iat: now - 7200, exp: now - 3600))
            let tampered = parts[0] + "." + base64URL(#"{"sub":"someone-else","username":"mallory","iat":\#(now),"exp":\#(now + 3600)}"#) + "." + parts[2]
            let operatorMinted = try await rightKeys.sign(TestClaims(sub: user.id, username: "alice", iat: now, exp: now + 600))

            for bad in ["", "garbage", "a.b.c", algNone, wrongKey, expired, tampered] {
                expectError(try await server.request(.GET, "/api/v1/auth/me", token: bad), 401, .unauthorized)
                await #expect(throws: (any Error).self, "handshake with \(bad.prefix(20))") {
                    let probe = try await WSProbe.connect(url: "\(server.wsBase)?token=\(bad)")
                    await probe.close()
                }
            }
            expectError(try await server.request(.GET, "/api/v1/auth/me"), 401, .unauthorized)
            // Refused before the upgrade, with 401, and nothing but the status.
            for query in ["", "?token=garbage", "?token=\(expired)", "?token=\(algNone)"] {
                #expect(try await RawWebSocket.statusLine(port: server.server.port, query: query) == "HTTP/1.1 401 Unauthorized")
            }
            #expect(try await RawWebSocket.statusLine(port: server.server.port, query: "?token=\(token)") == "HTTP/1.1 101 Switching Protocols")
            await #expect(throws: (any Error).self) { _ = try await WSProbe.connect(url: server.wsBase) }
            #expect(try await server.request(.GET, "/api/v1/auth/me", token: operatorMinted).status == 200)
            let probe = try await server.connect(operatorMinted)
            try await probe.next("connection_established")
            await probe.close()
        }
    }

    @Test(arguments: StorageKind.tested) func tokenExpiryClosesTheSocketWith1008(_ storage: StorageKind) async throws {
        // The socket's deadline for the token runs on the test clock: an hour of it passes
        // at once, and the handshake has all the real time it needs.
        let clock = TestClock()
        try await withTestServer(on: storage) { $0.timerClock = clock } run: { server in
            let (user, _) = try await server.user("alice")
            let keys = JWTKeyCollection()
            await keys.add(hmac: HMACKey(from: TestServer.secret), digestAlgorithm: .sha256)
            let now = Int(Date().timeIntervalSince1970)
            let shortLived = try await keys.sign(TestClaims(sub: user.id, username: "alice", iat: now, exp: now + 3600))
            let socket = try await RawWebSocket.connect(port: server.server.port, token: shortLived)
            #expect(await socket.barrier())
            clock.advance(by: .seconds(3600))
            let close = await socket.next(opcode: 0x8)
            #expect(close?.closeCode == 1008)
            #expect(close.map { String(decoding: $0.payload.dropFirst(2), as: UTF8.self) } == "token expired")
        }
    }
}

/// Claims as an integration would mint them with the shared secret.
struct TestClaims: JWTPayload {
    var sub: String
    var username: String
    var iat: Int
    var exp: Int
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
