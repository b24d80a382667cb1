import Foundation
import JWTKit
import PythiaProtocol
@testable import PythiaServer
import Testing

/// The server checks tokens itself (``TokenAuthority/verify(_:now:)``); it must accept and
/// refuse what jwt-kit, which mints them, would, and refuse a little more.
@Suite struct TokenVerificationTests {
    private static let secret = "token-verification-secret-0123456789"
    private static let now = Int(Date().timeIntervalSince1970)

    /// Claims that jwt-kit and the server must both accept (`true`) or both refuse.
    private static let claims: [(String, Bool)] = [
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600),"auth_time":\#(now - 60),"jti":"j1","gen":3}"#, true),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600)}"#, true),
        (#"{"sub":"u1","username":"alice","iat":\#(now).5,"exp":\#(now + 600).25}"#, true),
        (#"{"sub":"u1","username":"alice","iat":1.7e9,"exp":4e9}"#, true),
        (#"{"aud":["x"],"sub":"u1","nested":{"a":[1,2,{"b":null}],"s":"}"},"username":"alice","iat":\#(now),"exp":\#(now + 600)}"#, true),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600),"jti":null,"gen":null,"auth_time":null}"#, true),
        (#"  { "sub" : "u1" , "username" : "al\u0069ce" , "iat" : \#(now) , "exp" : \#(now + 600) }  "#, true),
        (#"{"username":"alice","iat":\#(now),"exp":\#(now + 600)}"#, false),
        (#"{"sub":"u1","iat":\#(now),"exp":\#(now + 600)}"#, false),
        (#"{"sub":"u1","username":"alice","exp":\#(now + 600)}"#, false),
        (#"{"sub":"u1","username":"alice","iat":\#(now)}"#, false),
        (#"{"sub":1,"username":"alice","iat":\#(now),"exp":\#(now + 600)}"#, false),
        (#"{"sub":"u1","username":null,"iat":\#(now),"exp":\#(now + 600)}"#, false),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":"tomorrow"}"#, false),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":null}"#, false),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600),"gen":1.5}"#, false),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600),"gen":"1"}"#, false),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600),"jti":7}"#, false),
        (#"{"sub":"u1","username":"alice","iat":\#(now - 900),"exp":\#(now - 300)}"#, false),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":1e400}"#, false),
        (#"["u1","alice"]"#, false),
        (#""u1""#, false),
        ("", false),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600)"#, false),
        (#"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600)} x"#, false),
    ]

    @Test(arguments: claims)
    func acceptsAndRefusesAsJWTKitDoes(claims: String, accepted: Bool) async throws {
        let token = HandSignedToken.make(claims: claims, secret: Self.secret)
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: Self.secret), digestAlgorithm: .sha256)
        let byJWTKit = try? await keys.verify(token, as: AccessClaims.self)
        #expect((byJWTKit != nil) == accepted, "jwt-kit")
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        let identity = tokens.verify(token)
        #expect((identity != nil) == accepted)
        if let identity, let byJWTKit {
            #expect(identity.userId == byJWTKit.sub.value)
            #expect(identity.username == byJWTKit.username)
            #expect(identity.expiresAt == byJWTKit.exp.value)
            #expect(identity.authenticatedAt == (byJWTKit.authTime ?? byJWTKit.iat).value)
            #expect(identity.tokenGeneration == (byJWTKit.gen ?? 0))
        }
    }

    /// jwt-kit accepts an empty `sub`; the server does not (no user has an empty id).
    @Test func anEmptySubjectIsRefused() async {
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        let claims = #"{"sub":"","username":"alice","iat":\#(Self.now),"exp":\#(Self.now + 600)}"#
        #expect(tokens.verify(HandSignedToken.make(claims: claims, secret: Self.secret)) == nil)
    }

    @Test func theTokenIdIsTheJTIOrElseTheTokensDigest() async throws {
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        let withId = HandSignedToken.make(
            claims: #"{"sub":"u1","username":"alice","iat":\#(Self.now),"exp":\#(Self.now + 600),"jti":"j-7"}"#, secret: Self.secret)
        #expect(tokens.verify(withId)?.tokenId == "jti:j-7")
        let withoutId = HandSignedToken.make(
            claims: #"{"sub":"u1","username":"alice","iat":\#(Self.now),"exp":\#(Self.now + 600)}"#, secret: Self.secret)
        let tokenId = try #require(tokens.verify(withoutId)?.tokenId)
        #expect(tokenId.hasPrefix("sha256:") && tokenId.count == "sha256:".count + 64)
    }

    @Test func aTokenMintedByTheServerReadsBackWhole() async throws {
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        let authenticated = Date(timeIntervalSince1970: Double(Self.now - 120))
        let minted = try await tokens.mint(
            for: User(id: "user-9", username: "bob", email: "bob@example.com"), generation: 4, authenticatedAt: authenticated)
        let identity = try #require(tokens.verify(minted.accessToken))
        #expect(identity.userId == "user-9" && identity.username == "bob" && identity.tokenGeneration == 4)
        #expect(identity.authenticatedAt == authenticated)
        #expect(identity.tokenId.hasPrefix("jti:"))
        #expect(identity.expiresAt.timeIntervalSinceNow > 590 && identity.expiresAt.timeIntervalSinceNow <= 600)
    }

    @Test func aTokenExpiresAtItsExpNotAfter() async throws {
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        let exp = Double(Self.now + 600) + 0.25
        let token = HandSignedToken.make(
            claims: #"{"sub":"u1","username":"alice","iat":\#(Self.now),"exp":\#(exp)}"#, secret: Self.secret)
        // Fresh authorities: the first's cache would answer for the second.
        #expect(tokens.verify(token, now: Date(timeIntervalSince1970: exp - 0.001)) != nil)
        #expect(tokens.verify(token, now: Date(timeIntervalSince1970: exp)) == nil)
        let fresh = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        #expect(fresh.verify(token, now: Date(timeIntervalSince1970: exp)) == nil)
    }

    @Test func onlyThreePartsWithThisServersWholeSignatureAreAccepted() async {
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        let claims = #"{"sub":"u1","username":"alice","iat":\#(Self.now),"exp":\#(Self.now + 600)}"#
        let good = HandSignedToken.make(claims: claims, secret: Self.secret)
        let parts = good.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let signed = parts[0] + "." + parts[1]
        for bad in [
            HandSignedToken.make(claims: claims, secret: Self.secret + "x"),
            signed + "." + parts[2].dropLast(),
            signed + "." + parts[2] + "=",
            signed + ".",
            signed,
            good + ".",
            good + "." + parts[2],
            parts[0] + "." + parts[1] + "!" + "." + HandSignedToken.signature(of: signed + "!", secret: Self.secret),
            parts[0] + ".." + parts[2],
            String(repeating: "a", count: 9000),
        ] {
            #expect(tokens.verify(bad) == nil, "\(bad.suffix(16))")
        }
        #expect(tokens.verify(good) != nil)
    }
}
