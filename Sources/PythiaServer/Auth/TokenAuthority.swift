import Crypto
import Foundation
import JWTKit
import PythiaProtocol

/// Mints and verifies HS256 access tokens.
///
/// The header's `alg` is checked before the signature: jwt-kit picks the key by `kid` only,
/// so `none`, `HS512` or anything else must be refused here.
struct TokenAuthority: Sendable {
    private let keys: JWTKeyCollection
    private let ttl: Duration
    /// Tokens already verified: a REST client sends the same one with every request. Small,
    /// so that a storm of WebSocket handshakes (each token seen once) costs little memory.
    private let verified = VerifiedTokenCache(capacity: 1024)

    /// - Precondition: `secret` is at least 32 bytes (checked by ``SecretStore``).
    init(secret: String, ttl: Duration) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.ttl = ttl
    }

    /// How many seconds a fresh token lives.
    var ttlSeconds: Int { Int(ttl.components.seconds) }

    /// A new token for `user` in their token generation `generation`, whose password was
    /// checked at `authenticatedAt` (now, for a login; the old token's, for a refresh).
    func mint(for user: User, generation: Int, authenticatedAt: Date? = nil, now: Date = Date()) async throws -> TokenResponse {
        // Whole seconds: some JWT libraries refuse a fractional NumericDate.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        // A session cannot have started in the future, whatever an operator-minted `iat` said.
        let authTime = min(now, Date(timeIntervalSince1970: (authenticatedAt ?? now).timeIntervalSince1970.rounded(.down)))
        let claims = AccessClaims(
            sub: SubjectClaim(value: user.id), username: user.username,
            iat: IssuedAtClaim(value: now), exp: ExpirationClaim(value: now.addingTimeInterval(Double(ttlSeconds))),
            authTime: IssuedAtClaim(value: authTime), jti: IDClaim(value: UUID().uuidString.lowercased()), gen: generation)
        let token = try await keys.sign(claims, header: ["alg": "HS256", "typ": "JWT"])
        return TokenResponse(accessToken: token, expiresIn: ttlSeconds, user: user)
    }

    /// The identity of a valid token, `nil` for a missing, malformed, forged, wrongly
    /// signed or expired one.
    func verify(_ token: String) async -> Identity? {
        if let identity = verified.identity(for: token) { return identity }
        guard token.utf8.count < 8192, TokenHeader(of: token)?.algorithm == "HS256" else { return nil }
        guard let claims = try? await keys.verify(token, as: AccessClaims.self),
              !claims.sub.value.isEmpty
        else { return nil }
        let identity = Identity(
            userId: claims.sub.value, username: claims.username, expiresAt: claims.exp.value,
            authenticatedAt: (claims.authTime ?? claims.iat).value,
            tokenId: claims.jti.map { "jti:" + $0.value } ?? Self.digest(of: token), tokenGeneration: claims.gen ?? 0)
        verified.insert(identity, for: token)
        return identity
    }

    /// The id of a token without a `jti`: its SHA-256, so that it can be revoked alone too.
    private static func digest(of token: String) -> String {
        "sha256:" + SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
