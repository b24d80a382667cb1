public import Foundation

/// A channel as the REST API returns it.
public struct Channel: Codable, Hashable, Sendable, Identifiable {
    /// The channel's id.
    public var id: String
    /// The channel's unique name, `[a-z0-9_-]{1,80}`.
    public var name: String
    /// A free-text description, at most 500 characters.
    public var description: String
    /// Private channels are visible to their members only.
    public var isPrivate: Bool
    /// The id of the owner, who created it.
    public var createdBy: String
    /// When the channel was created.
    public var createdAt: Date?
    /// How many members it has.
    public var memberCount: Int
    /// Whether the caller is a member.
    public var isMember: Bool

    /// Creates a channel value.
    public init(
        id: String, name: String, description: String = "", isPrivate: Bool = false,
        createdBy: String, createdAt: Date? = nil, memberCount: Int = 0, isMember: Bool = false
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.isPrivate = isPrivate
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.memberCount = memberCount
        self.isMember = isMember
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case isPrivate = "is_private"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case memberCount = "member_count"
        case isMember = "is_member"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        isPrivate = try container.decodeIfPresent(Bool.self, forKey: .isPrivate) ?? false
        createdBy = try container.decodeIfPresent(String.self, forKey: .createdBy) ?? ""
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt)
        memberCount = try container.decodeIfPresent(Int.self, forKey: .memberCount) ?? 0
        isMember = try container.decodeIfPresent(Bool.self, forKey: .isMember) ?? true
    }
}
