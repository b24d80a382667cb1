public import Foundation

/// A channel member as `GET /api/v1/channels/{id}/members` lists it.
public struct Member: Codable, Hashable, Sendable {
    /// The member's account.
    public var user: User
    /// `owner` or `member`.
    public var role: MemberRole
    /// When they joined.
    public var joinedAt: Date?
    /// Whether they have at least one live connection.
    public var online: Bool

    /// Creates a member value.
    public init(user: User, role: MemberRole, joinedAt: Date?, online: Bool) {
        self.user = user
        self.role = role
        self.joinedAt = joinedAt
        self.online = online
    }

    enum CodingKeys: String, CodingKey {
        case user, role, online
        case joinedAt = "joined_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        user = try container.decode(User.self, forKey: .user)
        role = try container.decodeIfPresent(MemberRole.self, forKey: .role) ?? .member
        joinedAt = try container.decodeIfPresent(Date.self, forKey: .joinedAt)
        online = try container.decodeIfPresent(Bool.self, forKey: .online) ?? false
    }
}

/// A member's role in a channel.
public struct MemberRole: RawRepresentable, Codable, Hashable, Sendable {
    /// The wire value.
    public var rawValue: String
    /// Creates a role from its wire value; unknown roles are kept as they are.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The creator of the channel.
    public static let owner = MemberRole(rawValue: "owner")
    /// Any other member.
    public static let member = MemberRole(rawValue: "member")
}
