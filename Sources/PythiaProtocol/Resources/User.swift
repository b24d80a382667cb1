public import Foundation

/// A user account as the REST API returns it, and as a message's `user` carries it
/// (there without `created_at`).
public struct User: Codable, Hashable, Sendable, Identifiable {
    /// The user's id (a lowercase UUID on our server; opaque to clients).
    public var id: String
    /// The unique, case-insensitive user name.
    public var username: String
    /// The user's e-mail address; empty when a server leaves it out.
    public var email: String
    /// When the account was created; absent inside messages.
    public var createdAt: Date?

    /// Creates a user value.
    public init(id: String, username: String, email: String, createdAt: Date? = nil) {
        self.id = id
        self.username = username
        self.email = email
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, username, email
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        username = try container.decode(String.self, forKey: .username)
        email = try container.decodeIfPresent(String.self, forKey: .email) ?? ""
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(username, forKey: .username)
        try container.encode(email, forKey: .email)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
    }
}
