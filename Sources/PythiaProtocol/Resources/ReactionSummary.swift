import Foundation

/// How many users reacted to a message with one emoji, and who.
public struct ReactionSummary: Encodable, Hashable, Sendable {
    /// The emoji, 1–32 characters.
    public var emoji: String
    /// How many users reacted with it.
    public var count: Int
    /// Who reacted, in the order they did.
    public var userIds: [String]

    /// Creates a reaction summary.
    public init(emoji: String, count: Int, userIds: [String]) {
        self.emoji = emoji
        self.count = count
        self.userIds = userIds
    }

    enum CodingKeys: String, CodingKey {
        case emoji, count, userIds
    }
}

extension ReactionSummary: JSONDecodable {
    /// Reads a reaction summary; every field is required.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var emoji: String?, count: Int?, userIds: [String]?
        while let key = try reader.nextKey() {
            switch key {
            case "emoji": emoji = try reader.read(String.self)
            case "count": count = try reader.read(Int.self)
            case "userIds": userIds = try reader.read([String].self)
            default: try reader.skipValue()
            }
        }
        self.init(
            emoji: try reader.required(emoji, "emoji", objectAt: start),
            count: try reader.required(count, "count", objectAt: start),
            userIds: try reader.required(userIds, "userIds", objectAt: start))
    }
}

extension ReactionSummary: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(emoji, for: CodingKeys.emoji)
        writer.write(count, for: CodingKeys.count)
        writer.write(userIds, for: CodingKeys.userIds)
    }
}
