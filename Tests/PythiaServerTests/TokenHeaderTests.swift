import Crypto
import Foundation
@testable import PythiaServer
import PythiaProtocol
import Testing

/// jwt-kit picks a token's key by `kid` alone: the header's `alg` is the server's own check.
@Suite struct TokenHeaderTests {
    private static let secret = "token-header-secret-token-header-secret"

    private static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A token with `header`, signed with HMAC-SHA256 by the server's secret whatever the
    /// header says.
    private static func token(header: String) -> String {
        let now = Int(Date().timeIntervalSince1970)
        let claims = #"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600),"jti":"j1"}"#
        let signed = base64URL(header) + "." + base64URL(claims)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signed.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let signature = Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return signed + "." + signature
    }

    @Test func onlyAnHS256HeaderIsAcceptedThoughEverySignatureIsRight() async {
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        for header in [#"{"alg":"HS256","typ":"JWT"}"#, #" { "typ" : "JWT", "x":[1,{"alg":"none"}], "alg" : "HS256" } "#, #"{"al\u0067":"HS256"}"#] {
            #expect(await tokens.verify(Self.token(header: header))?.userId == "u1", "\(header)")
        }
        for header in [
            #"{"alg":"HS512","typ":"JWT"}"#, #"{"alg":"none"}"#, #"{"typ":"JWT"}"#, #"{"alg":null}"#, #"{"alg":["HS256"]}"#,
            #"{"alg":"hs256"}"#, #"{"alg":"HS256""#, #"["HS256"]"#, "not json", "",
        ] {
            #expect(await tokens.verify(Self.token(header: header)) == nil, "\(header)")
        }
    }

    @Test func aHeaderThatIsNotBase64URLIsRefused() async {
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        let good = Self.token(header: #"{"alg":"HS256"}"#)
        let parts = good.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let (header, rest) = (parts[0], parts[1...].joined(separator: "."))
        for bad in [header + "=", "+" + header.dropFirst(), header + "A", "é" + header.dropFirst()] {
            #expect(await tokens.verify(bad + "." + rest) == nil, "\(bad)")
        }
        #expect(await tokens.verify(good) != nil)
    }
}
