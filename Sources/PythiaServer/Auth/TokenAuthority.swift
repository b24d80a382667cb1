import Crypto
import Foundation
import JWTKit
import PythiaProtocol

/// Mints HS256 access tokens with jwt-kit, and verifies them itself.
///
/// A restarted server meets every client's token for the first time at once, so the check
/// is the server's own, on the handshake's thread: the header's `alg` must be `HS256` (no
/// `none`, no other algorithm, whatever a `kid` says), then the HMAC, compared in constant
/// time, then the claims read by ``JSONReader``. Through jwt-kit the same check hopped to its
/// key collection's actor and read header and claims with Foundation's `JSONDecoder`, which
/// cost more than the rest of a handshake's authentication.
struct TokenAuthority: Sendable {
    private let keys: JWTKeyCollection
    private let key: SymmetricKey
    private let ttl: Duration
    /// Tokens already verified: a REST client sends the same one with every request. Small,
    /// so that a storm of WebSocket handshakes (each token seen once) costs little memory.
    private let verified = VerifiedTokenCache(capacity: 1024)

    /// - Precondition: `secret` is at least 32 bytes (checked by ``SecretStore``).
    init(secret: String, ttl: Duration) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        key = SymmetricKey(data: Data(secret.utf8))
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
    func verify(_ token: String, now: Date = Date()) -> Identity? {
        if let identity = verified.identity(for: token, now: now) { return identity }
        guard token.utf8.count < 8192, let claims = claims(of: token), !claims.sub.value.isEmpty,
              now < claims.exp.value
        else { return nil }
        let identity = Identity(
            userId: claims.sub.value, username: claims.username, expiresAt: claims.exp.value,
            authenticatedAt: (claims.authTime ?? claims.iat).value,
            tokenId: claims.jti.map { "jti:" + $0.value } ?? Self.digest(of: token), tokenGeneration: claims.gen ?? 0)
        verified.insert(identity, for: token, now: now)
        return identity
    }

    /// The claims of `token` if it is three base64url parts, an `HS256` header and a
    /// signature by this server's key; its times are not checked here.
    private func claims(of token: String) -> AccessClaims? {
        var token = token
        return token.withUTF8 { token in
            let dot = UInt8(ascii: ".")
            guard let headerEnd = token.firstIndex(of: dot),
                  let payloadEnd = token[(headerEnd + 1)...].firstIndex(of: dot),
                  !token[(payloadEnd + 1)...].contains(dot),
                  TokenHeader(part: token[..<headerEnd])?.algorithm == "HS256",
                  let signature = Base64URL.decode(utf8: token[(payloadEnd + 1)...]),
                  HMAC<SHA256>.isValidAuthenticationCode(
                      signature, authenticating: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token[..<payloadEnd])), using: key),
                  let payload = Base64URL.decode(utf8: token[(headerEnd + 1)..<payloadEnd])
            else { return nil }
            return payload.withUnsafeBytes { try? JSONReader.decode(AccessClaims.self, from: $0) }
        }
    }

    /// The id of a token without a `jti`: its SHA-256, so that it can be revoked alone too.
    private static func digest(of token: String) -> String {
        "sha256:" + SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
