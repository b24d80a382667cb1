public import Foundation

/// `mention_notification`: the receiving user was named in a message.
public struct MentionNotification: Hashable, Sendable {
    /// The mention.
    public var data: Mention
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(data: Mention, timestamp: Date) {
        self.data = data
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case data, timestamp
    }
}

extension MentionNotification: JSONDecodable {
    /// Reads `mention_notification`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var data: Mention?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "data": data = try reader.read(Mention.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            data: try reader.required(data, "data", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension MentionNotification: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(data, for: CodingKeys.data)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
