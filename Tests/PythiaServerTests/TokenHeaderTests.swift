import Foundation
@testable import PythiaServer
import PythiaProtocol
import Testing

/// The header's `alg` is checked before the signature: only `HS256` is accepted.
@Suite struct TokenHeaderTests {
    private static let secret = "token-header-secret-token-header-secret"

    /// A token with `header`, signed with HMAC-SHA256 by the server's secret whatever the
    /// header says.
    private static func token(header: String) -> String {
        let now = Int(Date().timeIntervalSince1970)
        return HandSignedToken.make(
            header: header, claims: #"{"sub":"u1","username":"alice","iat":\#(now),"exp":\#(now + 600),"jti":"j1"}"#, secret: secret)
    }

    @Test func onlyAnHS256HeaderIsAcceptedThoughEverySignatureIsRight() async {
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        for header in [#"{"alg":"HS256","typ":"JWT"}"#, #" { "typ" : "JWT", "x":[1,{"alg":"none"}], "alg" : "HS256" } "#, #"{"al\u0067":"HS256"}"#] {
            #expect(tokens.verify(Self.token(header: header))?.userId == "u1", "\(header)")
        }
        for header in [
            #"{"alg":"HS512","typ":"JWT"}"#, #"{"alg":"none"}"#, #"{"typ":"JWT"}"#, #"{"alg":null}"#, #"{"alg":["HS256"]}"#,
            #"{"alg":"hs256"}"#, #"{"alg":"HS256""#, #"["HS256"]"#, "not json", "",
        ] {
            #expect(tokens.verify(Self.token(header: header)) == nil, "\(header)")
        }
    }

    @Test func aHeaderThatIsNotBase64URLIsRefused() async {
        let tokens = await TokenAuthority(secret: Self.secret, ttl: .seconds(600))
        let good = Self.token(header: #"{"alg":"HS256"}"#)
        let parts = good.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let (header, rest) = (parts[0], parts[1...].joined(separator: "."))
        for bad in [header + "=", "+" + header.dropFirst(), header + "A", "é" + header.dropFirst()] {
            #expect(tokens.verify(bad + "." + rest) == nil, "\(bad)")
        }
        #expect(tokens.verify(good) != nil)
    }
}
