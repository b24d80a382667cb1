public import Foundation
import PythiaProtocol

/// What the client can read from an access token without the server's secret.
///
/// A JWT's payload is readable by anyone; its `exp` tells when to refresh. A token that
/// is not a JWT (or has no readable `exp`) is an opaque bearer token and is never refreshed.
public struct AccessToken: Hashable, Sendable {
    /// The token as sent.
    public let value: String
    /// When it expires, if the token says.
    public let expiresAt: Date?

    /// Reads `value`.
    public init(_ value: String) {
        self.value = value
        self.expiresAt = Self.expiry(of: value)
    }

    /// When to refresh it: a tenth of its remaining life (at least 30 s, at most 5 min)
    /// before it expires; `nil` for a token that cannot be refreshed.
    public func refreshDate(now: Date) -> Date? {
        guard let expiresAt else { return nil }
        let margin = min(300, max(30, expiresAt.timeIntervalSince(now) / 10))
        return expiresAt.addingTimeInterval(-margin)
    }

    /// Whether the token is still valid at `now`; opaque tokens count as valid.
    public func isValid(at now: Date) -> Bool {
        expiresAt.map { $0 > now } ?? true
    }

    /// Whose token it is: the JWT's `sub` claim, if the token says.
    public var subject: String? {
        Self.claims(of: value)?["sub"] as? String
    }

    private static func expiry(of token: String) -> Date? {
        guard let exp = claims(of: token)?["exp"] as? NSNumber, exp.doubleValue.isFinite else { return nil }
        return Date(timeIntervalSince1970: exp.doubleValue)
    }

    /// The claims of a JWT's payload (its base64url middle part), read without checking the
    /// signature; `nil` for a token that is not a JWT.
    private static func claims(of token: String) -> [String: Any]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        guard let bytes = Base64URL.decode(utf8: parts[1].utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}
