import Crypto
import Foundation

/// A JWT written and signed by hand (HMAC-SHA256), as an operator's script or an attacker
/// would, whatever its header and claims say.
enum HandSignedToken {
    /// `header` and `claims` (JSON text, taken as they are) signed with `secret`.
    static func make(header: String = #"{"alg":"HS256","typ":"JWT"}"#, claims: String, secret: String) -> String {
        let signed = base64URL(Data(header.utf8)) + "." + base64URL(Data(claims.utf8))
        return signed + "." + signature(of: signed, secret: secret)
    }

    /// The base64url of `signed`'s HMAC-SHA256 by `secret`.
    static func signature(of signed: String, secret: String) -> String {
        base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(signed.utf8), using: SymmetricKey(data: Data(secret.utf8)))))
    }

    /// Unpadded base64url.
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
