import Foundation
import JWTKit

/// The claims of an access token: `sub`, `username`, `iat`, `exp` — nothing else is needed,
/// so an operator holding the secret can mint tokens for integrations. Tokens the server
/// issues also carry `auth_time`, when the password was last checked (see `API.md`), `jti`,
/// the token's own id (what a logout of this token revokes), and `gen`, the user's token
/// generation when it was issued (a logout of every token moves the generation on).
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var username: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var authTime: IssuedAtClaim?
    var jti: IDClaim?
    var gen: Int?

    private enum CodingKeys: String, CodingKey {
        case sub, username, iat, exp, jti, gen
        case authTime = "auth_time"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
