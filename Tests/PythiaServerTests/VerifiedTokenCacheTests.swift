import Foundation
@testable import PythiaServer
import PythiaProtocol
import Testing

@Suite("Verified-token cache")
struct VerifiedTokenCacheTests {
    private static func identity(_ user: String, expiresAt: Date) -> Identity {
        Identity(userId: user, username: user, expiresAt: expiresAt, tokenId: "jti:\(user)")
    }

    @Test func anEntryAnswersOnlyBeforeItsTokenExpires() {
        let cache = VerifiedTokenCache(capacity: 8)
        let now = Date(timeIntervalSince1970: 1_000_000)
        let alice = Self.identity("alice", expiresAt: now.addingTimeInterval(60))
        cache.insert(alice, for: "token-a", now: now)
        #expect(cache.identity(for: "token-a", now: now) == alice)
        #expect(cache.identity(for: "token-a", now: now.addingTimeInterval(59.999)) == alice)
        // At `exp` itself a token is expired (JWT's NumericDate check), here as in jwt-kit.
        #expect(cache.identity(for: "token-a", now: now.addingTimeInterval(60)) == nil)
        #expect(cache.identity(for: "token-a", now: now) == nil, "an expired entry is dropped, not kept")
        #expect(cache.identity(for: "token-b", now: now) == nil)
    }

    @Test func aFullCacheDropsExpiredTokensFirstAndNeverGrowsPastItsCapacity() {
        let cache = VerifiedTokenCache(capacity: 4)
        let now = Date(timeIntervalSince1970: 1_000_000)
        cache.insert(Self.identity("old1", expiresAt: now.addingTimeInterval(1)), for: "old1", now: now)
        cache.insert(Self.identity("old2", expiresAt: now.addingTimeInterval(1)), for: "old2", now: now)
        cache.insert(Self.identity("live", expiresAt: now.addingTimeInterval(600)), for: "live", now: now)
        cache.insert(Self.identity("new1", expiresAt: now.addingTimeInterval(600)), for: "new1", now: now)
        let later = now.addingTimeInterval(10)
        cache.insert(Self.identity("new2", expiresAt: later.addingTimeInterval(600)), for: "new2", now: later)
        #expect(cache.count == 3, "the two expired entries made room")
        #expect(cache.identity(for: "live", now: later) != nil)
        for index in 0..<20 {
            cache.insert(Self.identity("u\(index)", expiresAt: later.addingTimeInterval(600)), for: "u\(index)", now: later)
            #expect(cache.count <= 4)
        }
        #expect(cache.identity(for: "u19", now: later) != nil)
    }

    @Test func aVerifiedTokenVouchesForNoOtherSignature() async throws {
        let authority = await TokenAuthority(secret: TestServer.secret, ttl: .seconds(3600))
        let user = User(id: "user-1", username: "alice", email: "alice@example.com")
        let token = try await authority.mint(for: user, generation: 0).accessToken
        let first = try #require(authority.verify(token))
        #expect(first.userId == "user-1")
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let otherKey = await TokenAuthority(secret: String(TestServer.secret.reversed()), ttl: .seconds(3600))
        let otherSignature = try await otherKey.mint(for: user, generation: 0).accessToken.split(separator: ".").last.map(String.init)
        for forged in [parts[0] + "." + parts[1] + "." + (otherSignature ?? ""), parts[0] + "." + parts[1] + ".", token + "x"] {
            #expect(authority.verify(forged) == nil, "\(forged.suffix(12))")
        }
        #expect(authority.verify(token) == first)
    }

    @Test func aCachedTokenIsRefusedOnceItExpires() async throws {
        let authority = await TokenAuthority(secret: TestServer.secret, ttl: .seconds(5))
        let user = User(id: "user-1", username: "alice", email: "alice@example.com")
        let minted = Date()
        let token = try await authority.mint(for: user, generation: 0, now: minted).accessToken
        let identity = try #require(authority.verify(token))
        #expect(authority.verify(token) == identity)
        #expect(authority.verify(token, now: identity.expiresAt.addingTimeInterval(-0.001)) == identity)
        #expect(authority.verify(token, now: identity.expiresAt) == nil)
    }
}
