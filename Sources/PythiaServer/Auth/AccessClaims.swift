import Foundation
import JWTKit

/// The claims of an access token: `sub`, `username`, `iat`, `exp` — nothing else is needed,
/// so an operator holding the secret can mint tokens for integrations.
struct AccessClaims: JWTPayload {
    var sub: SubjectClaim
    var username: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
