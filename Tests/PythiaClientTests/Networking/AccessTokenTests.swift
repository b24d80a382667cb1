import Foundation
import PythiaClient
import Testing

@Suite struct AccessTokenTests {
    static func jwt(payload: String) -> String {
        func encode(_ text: String) -> String {
            Data(text.utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return encode(#"{"alg":"HS256","typ":"JWT"}"#) + "." + encode(payload) + ".c2lnbmF0dXJl"
    }

    @Test func readsExpFromAJWTPayload() {
        let token = AccessToken(Self.jwt(payload: #"{"sub":"u1","username":"ålice?>","iat":1700000000,"exp":1700003600}"#))
        #expect(token.expiresAt == Date(timeIntervalSince1970: 1_700_003_600))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(token.isValid(at: now))
        #expect(!token.isValid(at: Date(timeIntervalSince1970: 1_700_003_600)))
        // A tenth of the remaining hour is 6 minutes; capped at 5 minutes before expiry.
        #expect(token.refreshDate(now: now) == Date(timeIntervalSince1970: 1_700_003_300))
        // Close to expiry, at least 30 s of margin.
        #expect(token.refreshDate(now: Date(timeIntervalSince1970: 1_700_003_590)) == Date(timeIntervalSince1970: 1_700_003_570))
    }

    @Test func anythingElseIsAnOpaqueTokenNeverRefreshed() {
        for value in ["opaque-bearer-token", "a.b.c", Self.jwt(payload: #"{"sub":"u1"}"#), Self.jwt(payload: #"{"exp":"soon"}"#), "..", ""] {
            let token = AccessToken(value)
            #expect(token.expiresAt == nil, "\(value)")
            #expect(token.refreshDate(now: Date()) == nil)
            #expect(token.isValid(at: Date()))
        }
    }
}
