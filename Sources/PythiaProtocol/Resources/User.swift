public import Foundation

/// A user account as the REST API returns it, and as a message's `user` carries it
/// (there without `created_at`).
public struct User: Encodable, Hashable, Sendable, Identifiable {
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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(username, forKey: .username)
        try container.encode(email, forKey: .email)
        try container.encodeIfPresent(createdAt, forKey: .createdAt)
    }
}

extension User: JSONDecodable {
    /// Reads a user; `email` may be absent (empty), `created_at` absent or `null`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var id: String?, username: String?, email: String?, createdAt: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try reader.read(String.self)
            case "username": username = try reader.read(String.self)
            case "email": email = try reader.readIfPresent(String.self)
            case "created_at": createdAt = try reader.readIfPresent(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            id: try reader.required(id, "id", objectAt: start),
            username: try reader.required(username, "username", objectAt: start),
            email: email ?? "", createdAt: createdAt)
    }
}

extension User: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(id, for: CodingKeys.id)
        writer.write(username, for: CodingKeys.username)
        writer.write(email, for: CodingKeys.email)
        writer.write(createdAt, for: CodingKeys.createdAt)
    }
}
