public import Foundation

/// A channel as the REST API returns it.
public struct Channel: Encodable, Hashable, Sendable, Identifiable {
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
}

extension Channel: JSONDecodable {
    /// Reads a channel; only `id` and `name` are required, the rest default when absent or `null`
    /// (`is_member` to true: a server that leaves it out lists the caller's own channels).
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var id: String?, name: String?, description: String?, isPrivate: Bool?, createdBy: String?
        var createdAt: Date?, memberCount: Int?, isMember: Bool?
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try reader.read(String.self)
            case "name": name = try reader.read(String.self)
            case "description": description = try reader.readIfPresent(String.self)
            case "is_private": isPrivate = try reader.readIfPresent(Bool.self)
            case "created_by": createdBy = try reader.readIfPresent(String.self)
            case "created_at": createdAt = try reader.readIfPresent(Date.self)
            case "member_count": memberCount = try reader.readIfPresent(Int.self)
            case "is_member": isMember = try reader.readIfPresent(Bool.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            id: try reader.required(id, "id", objectAt: start),
            name: try reader.required(name, "name", objectAt: start),
            description: description ?? "", isPrivate: isPrivate ?? false, createdBy: createdBy ?? "",
            createdAt: createdAt, memberCount: memberCount ?? 0, isMember: isMember ?? true)
    }
}
