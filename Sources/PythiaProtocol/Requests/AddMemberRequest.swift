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

extension AddMemberRequest: JSONDecodable {
    /// Reads an add-member body.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var userId: String?
        while let key = try reader.nextKey() {
            switch key {
            case "user_id": userId = try reader.readField(String.self, named: "user_id")
            default: try reader.skipValue()
            }
        }
        self.init(userId: try reader.required(userId, "user_id", objectAt: start))
    }
}
