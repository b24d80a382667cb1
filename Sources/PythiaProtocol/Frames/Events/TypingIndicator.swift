public import Foundation

/// `typing_indicator` from the server: someone started or stopped typing.
public struct TypingIndicator: Hashable, Sendable {
    /// Who is typing.
    public var userId: String
    /// Where.
    public var channelId: String
    /// Whether they are typing now.
    public var isTyping: Bool
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(userId: String, channelId: String, isTyping: Bool, timestamp: Date) {
        self.userId = userId
        self.channelId = channelId
        self.isTyping = isTyping
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case userId = "user_id"
        case channelId = "channel_id"
        case isTyping = "is_typing"
    }
}

extension TypingIndicator: JSONDecodable {
    /// Reads `typing_indicator`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var userId: String?, channelId: String?, isTyping: Bool?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "user_id": userId = try reader.read(String.self)
            case "channel_id": channelId = try reader.read(String.self)
            case "is_typing": isTyping = try reader.read(Bool.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            userId: try reader.required(userId, "user_id", objectAt: start),
            channelId: try reader.required(channelId, "channel_id", objectAt: start),
            isTyping: try reader.required(isTyping, "is_typing", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension TypingIndicator: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(userId, for: CodingKeys.userId)
        writer.write(channelId, for: CodingKeys.channelId)
        writer.write(isTyping, for: CodingKeys.isTyping)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
