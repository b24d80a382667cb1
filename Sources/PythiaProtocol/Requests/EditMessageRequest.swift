/// The body of `PATCH /api/v1/messages/{id}`.
public struct EditMessageRequest: Codable, Hashable, Sendable {
    /// The new text.
    public var content: String

    /// Creates an edit body.
    public init(content: String) { self.content = content }
}

extension EditMessageRequest: JSONDecodable {
    /// Reads an edit body.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var content: String?
        while let key = try reader.nextKey() {
            switch key {
            case "content": content = try reader.readField(String.self, named: "content")
            default: try reader.skipValue()
            }
        }
        self.init(content: try reader.required(content, "content", objectAt: start))
    }
}
