import Foundation
import JWTKit
import PythiaProtocol

/// Read by the server's own token check (``TokenAuthority/verify(_:)``) as jwt-kit's
/// `JSONDecoder` reads them: times as NumericDate (seconds since 1970, fractions allowed),
/// `null` for an absent optional claim, and any other claim ignored.
extension AccessClaims: JSONDecodable {
    init(json reader: inout JSONReader) throws(JSONError) {
        var sub: String?, username: String?, iat: Double?, exp: Double?
        var authTime: Double?, jti: String?, gen: Int?
        let start = try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "sub": sub = try reader.readField(String.self, named: "sub")
            case "username": username = try reader.readField(String.self, named: "username")
            case "iat": iat = try reader.readField(Double.self, named: "iat")
            case "exp": exp = try reader.readField(Double.self, named: "exp")
            case "auth_time": authTime = try reader.readFieldIfPresent(Double.self, named: "auth_time")
            case "jti": jti = try reader.readFieldIfPresent(String.self, named: "jti")
            case "gen": gen = try reader.readFieldIfPresent(Int.self, named: "gen")
            default: try reader.skipValue()
            }
        }
        self.init(
            sub: SubjectClaim(value: try reader.required(sub, "sub", objectAt: start)),
            username: try reader.required(username, "username", objectAt: start),
            iat: IssuedAtClaim(value: Date(timeIntervalSince1970: try reader.required(iat, "iat", objectAt: start))),
            exp: ExpirationClaim(value: Date(timeIntervalSince1970: try reader.required(exp, "exp", objectAt: start))),
            authTime: authTime.map { IssuedAtClaim(value: Date(timeIntervalSince1970: $0)) },
            jti: jti.map(IDClaim.init(value:)), gen: gen)
    }
}
