import Foundation
import JWTKit

/// The claims of an access token: `sub`, `username`, `iat`, `exp` — nothing else is needed,
/// so an operator holding the secret can mint tokens for integrations. Tokens the server
/// issues also carry `auth_time`, when the password was last checked (see `API.md`).
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var username: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var authTime: IssuedAtClaim?

    private enum CodingKeys: String, CodingKey {
        case sub, username, iat, exp
        case authTime = "auth_time"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
