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

extension CreateChannelRequest: JSONDecodable {
    /// Reads a channel-creation body; `description` and `is_private` may be absent or `null`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var name: String?, description: String?, isPrivate: Bool?
        while let key = try reader.nextKey() {
            switch key {
            case "name": name = try reader.readField(String.self, named: "name")
            case "description": description = try reader.readFieldIfPresent(String.self, named: "description")
            case "is_private": isPrivate = try reader.readFieldIfPresent(Bool.self, named: "is_private")
            default: try reader.skipValue()
            }
        }
        self.init(name: try reader.required(name, "name", objectAt: start), description: description, isPrivate: isPrivate)
    }
}
