import Foundation

/// A member's role in a channel.
public struct MemberRole: RawRepresentable, Encodable, Hashable, Sendable {
    /// The wire value.
    public var rawValue: String
    /// Creates a role from its wire value; unknown roles are kept as they are.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The creator of the channel.
    public static let owner = MemberRole(rawValue: "owner")
    /// Any other member.
    public static let member = MemberRole(rawValue: "member")
}
