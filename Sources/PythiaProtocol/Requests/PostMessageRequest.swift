/// The body of `POST /api/v1/messages/`.
public struct PostMessageRequest: Codable, Hashable, Sendable {
    /// The channel to post to.
    public var channelId: String
    /// The text.
    public var content: String
    /// A client-chosen key (≤ 64 characters) that makes the post idempotent per user.
    public var clientId: String?

    /// Creates a post body.
    public init(channelId: String, content: String, clientId: String? = nil) {
        self.channelId = channelId
        self.content = content
        self.clientId = clientId
    }

    enum CodingKeys: String, CodingKey {
        case content
        case channelId = "channel_id"
        case clientId = "client_id"
    }
}

extension PostMessageRequest: JSONDecodable {
    /// Reads a post body (the server's reading of `POST /api/v1/messages/`).
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var channelId: String?, content: String?, clientId: String?
        while let key = try reader.nextKey() {
            switch key {
            case "channel_id": channelId = try reader.readField(String.self, named: "channel_id")
            case "content": content = try reader.readField(String.self, named: "content")
            case "client_id": clientId = try reader.readFieldIfPresent(String.self, named: "client_id")
            default: try reader.skipValue()
            }
        }
        self.init(
            channelId: try reader.required(channelId, "channel_id", objectAt: start),
            content: try reader.required(content, "content", objectAt: start), clientId: clientId)
    }
}
