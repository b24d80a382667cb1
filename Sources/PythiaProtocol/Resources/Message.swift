public import Foundation

/// A chat message: exactly the `data` of the `new_message` frame, plus its reactions.
public struct Message: Encodable, Hashable, Sendable, Identifiable {
    /// The message's id.
    public var id: String
    /// The text, 1–4000 characters after trimming.
    public var content: String
    /// The channel it was posted to.
    public var channelId: String
    /// The author's id.
    public var userId: String
    /// When the server stored it.
    public var createdAt: Date
    /// When it was last edited (equal to `createdAt` if never).
    public var updatedAt: Date
    /// The author.
    public var user: User
    /// Reactions aggregated per emoji, in the order they were first made.
    public var reactions: [ReactionSummary]
    /// The `client_id` its post carried, if any: how an author tells its own echo.
    public var clientId: String?

    /// Creates a message value.
    public init(
        id: String, content: String, channelId: String, userId: String,
        createdAt: Date, updatedAt: Date, user: User, reactions: [ReactionSummary] = [], clientId: String? = nil
    ) {
        self.id = id
        self.content = content
        self.channelId = channelId
        self.userId = userId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.user = user
        self.reactions = reactions
        self.clientId = clientId
    }

    /// Whether the message was edited after it was posted.
    public var isEdited: Bool { updatedAt > createdAt }

    enum CodingKeys: String, CodingKey {
        case id, content, channelId, userId, createdAt, updatedAt, user, reactions
        // Snake case as in the request body it comes from; absent when the post had none.
        case clientId = "client_id"
    }
}

extension Message: JSONDecodable {
    /// Reads a message; `userId` and `user` may each be absent (one is made from the other),
    /// `updatedAt` defaults to `createdAt`, `reactions` to none and `client_id` to absent.
    public init(json reader: inout JSONReader) throws(JSONError) {
        try self.init(json: &reader) { _, reader throws(JSONError) in try reader.skipValue() }
    }

    /// Reads a message, handing each member that is not one of a message's to `otherMember`,
    /// which must read or skip its value: how a type that is a message plus more reads itself.
    public init(
        json reader: inout JSONReader, otherMember: (JSONKey, inout JSONReader) throws(JSONError) -> Void
    ) throws(JSONError) {
        let start = try reader.beginObject()
        var id: String?, content: String?, channelId: String?, userId: String?
        var createdAt: Date?, updatedAt: Date?, user: User?, reactions: [ReactionSummary]?, clientId: String?
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try reader.read(String.self)
            case "content": content = try reader.read(String.self)
            case "channelId": channelId = try reader.read(String.self)
            case "userId": userId = try reader.readIfPresent(String.self)
            case "createdAt": createdAt = try reader.read(Date.self)
            case "updatedAt": updatedAt = try reader.readIfPresent(Date.self)
            case "user": user = try reader.readIfPresent(User.self)
            case "reactions": reactions = try reader.readIfPresent([ReactionSummary].self)
            case "client_id": clientId = try reader.readIfPresent(String.self)
            default: try otherMember(key, &reader)
            }
        }
        let author = userId ?? user?.id ?? ""
        let created = try reader.required(createdAt, "createdAt", objectAt: start)
        self.init(
            id: try reader.required(id, "id", objectAt: start),
            content: try reader.required(content, "content", objectAt: start),
            channelId: try reader.required(channelId, "channelId", objectAt: start),
            userId: author, createdAt: created, updatedAt: updatedAt ?? created,
            user: user ?? User(id: author, username: author, email: ""), reactions: reactions ?? [], clientId: clientId)
    }
}

extension Message: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(id, for: CodingKeys.id)
        writer.write(content, for: CodingKeys.content)
        writer.write(channelId, for: CodingKeys.channelId)
        writer.write(userId, for: CodingKeys.userId)
        writer.write(createdAt, for: CodingKeys.createdAt)
        writer.write(updatedAt, for: CodingKeys.updatedAt)
        writer.write(user, for: CodingKeys.user)
        writer.write(reactions, for: CodingKeys.reactions)
        writer.write(clientId, for: CodingKeys.clientId)
    }
}
