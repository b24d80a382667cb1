public import Foundation

/// A channel member as `GET /api/v1/channels/{id}/members` lists it.
public struct Member: Encodable, Hashable, Sendable {
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
}

extension Member: JSONDecodable {
    /// Reads a member; `user` is required, `role` defaults to `member`, `online` to false.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var user: User?, role: String?, joinedAt: Date?, online: Bool?
        while let key = try reader.nextKey() {
            switch key {
            case "user": user = try reader.read(User.self)
            case "role": role = try reader.readIfPresent(String.self)
            case "joined_at": joinedAt = try reader.readIfPresent(Date.self)
            case "online": online = try reader.readIfPresent(Bool.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            user: try reader.required(user, "user", objectAt: start),
            role: role.map(MemberRole.init(rawValue:)) ?? .member, joinedAt: joinedAt, online: online ?? false)
    }
}
