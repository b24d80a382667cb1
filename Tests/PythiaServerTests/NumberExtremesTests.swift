import Foundation
import NIOHTTP1
import JWTKit
import NIOCore
@testable import PythiaServer
import PythiaProtocol
import Testing

/// Claims with any number in them, as an operator holding the secret could mint.
struct NumericClaims: JWTPayload {
    var sub: String
    var username: String
    var iat: Double
    var exp: Double
    var auth_time: Double?
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// No number in a token crashes the server; refresh keeps `auth_time` within the session limit.
@Suite("Number extremes and sessions")
struct NumberExtremesTests {
    static func mint(_ claims: NumericClaims) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: TestServer.secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

    /// A claim of a token's payload, read without verifying it.
    static func claim(_ name: String, of token: String) throws -> Double? {
        let parts = token.split(separator: ".")
        var base64 = String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let object = try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: base64))) as? [String: Any]
        return (object?[name] as? NSNumber)?.doubleValue
    }

    @Test(arguments: StorageKind.tested) func expiriesAndIssueTimesOfAnySizeNeverCrashTheServer(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (alice, _) = try await server.user("alice")
            let now = Date().timeIntervalSince1970.rounded(.down)
            for (iat, exp) in [(now, 1e11), (now, 1e17), (now, 1e300), (-1e300, 1e11), (1e300, 1e300), (now, Double(Int64.max))] {
                let token = try await Self.mint(NumericClaims(sub: alice.id, username: "alice", iat: iat, exp: exp))
                #expect(try await server.request(.GET, "/api/v1/auth/me", token: token).status == 200, "iat \(iat), exp \(exp)")
                // The socket's expiry timer is set from `exp` when it opens (10^11 trapped there).
                let socket = try await server.connect(token)
                try await socket.next("connection_established")
                try await socket.barrier()
                await socket.close()
            }
            for exp in [-1e300, now - 10] {
                let token = try await Self.mint(NumericClaims(sub: alice.id, username: "alice", iat: now, exp: exp))
                expectError(try await server.request(.GET, "/api/v1/auth/me", token: token), 401, .unauthorized)
            }
            #expect(try await server.request(.GET, "/health").status == 200)
        }
    }

    @Test(arguments: StorageKind.tested) func refreshKeepsAuthTimeAndRefusesPastTheSessionLimit(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { $0.sessionLimit = .seconds(3600) } run: { server in
            let (alice, token) = try await server.user("alice")
            let authTime = try #require(try Self.claim("auth_time", of: token))
            let refreshed = try await server.request(.POST, "/api/v1/auth/refresh", token: token).decode(TokenResponse.self)
            #expect(try Self.claim("auth_time", of: refreshed.accessToken) == authTime)

            let now = Date().timeIntervalSince1970.rounded(.down)
            func refresh(iat: Double, authTime: Double?) async throws -> HTTPResult {
                let token = try await Self.mint(NumericClaims(sub: alice.id, username: "alice", iat: iat, exp: now + 600, auth_time: authTime))
                return try await server.request(.POST, "/api/v1/auth/refresh", token: token)
            }
            // Past the limit, by auth_time or, without one, by iat.
            expectError(try await refresh(iat: now, authTime: now - 3700), 401, .unauthorized)
            expectError(try await refresh(iat: now - 3700, authTime: nil), 401, .unauthorized)
            expectError(try await refresh(iat: now, authTime: -1e300), 401, .unauthorized)
            // Within it, the old auth_time (or iat) is carried over.
            let byIat = try await refresh(iat: now - 1800, authTime: nil).decode(TokenResponse.self)
            #expect(try Self.claim("auth_time", of: byIat.accessToken) == now - 1800)
            // A session cannot start in the future: a far auth_time becomes now.
            let future = try await refresh(iat: now, authTime: 1e300).decode(TokenResponse.self)
            #expect(try #require(try Self.claim("auth_time", of: future.accessToken)) <= Date().timeIntervalSince1970)
        }
    }

    @Test func timeAmountsFromAnyNumberOfSeconds() {
        #expect(TimeAmount.clamped(seconds: 1.5) == .milliseconds(1500))
        #expect(TimeAmount.clamped(seconds: -1e300) == .zero)
        #expect(TimeAmount.clamped(seconds: .nan) == .zero)
        #expect(TimeAmount.clamped(seconds: 1e11) == .nanoseconds(.max))
        #expect(TimeAmount.clamped(seconds: .infinity) == .nanoseconds(.max))
    }

    @Test func retryAfterOfAnyWait() {
        #expect(RESTError.rateLimited(after: .milliseconds(1)).retryAfter == 1)
        #expect(RESTError.rateLimited(after: .milliseconds(2500)).retryAfter == 3)
        #expect(RESTError.rateLimited(after: .seconds(Int64.max)).retryAfter == 86_400)
    }
}
