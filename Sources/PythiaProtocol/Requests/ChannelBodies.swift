/// The body of `POST /api/v1/channels/`.
public struct CreateChannelRequest: Codable, Hashable, Sendable {
    /// The channel name, `[a-z0-9_-]{1,80}`.
    public var name: String
    /// An optional description, at most 500 characters.
    public var description: String?
    /// Whether the channel is private (default `false`).
    public var isPrivate: Bool?

    /// Creates a channel-creation body.
    public init(name: String, description: String? = nil, isPrivate: Bool? = nil) {
        self.name = name
        self.description = description
        self.isPrivate = isPrivate
    }

    enum CodingKeys: String, CodingKey {
        case name, description
        case isPrivate = "is_private"
    }
}

/// The body of `POST /api/v1/channels/{id}/members`.
public struct AddMemberRequest: Codable, Hashable, Sendable {
    /// The user to add.
    public var userId: String

    /// Creates an add-member body.
    public init(userId: String) { self.userId = userId }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
    }
}
