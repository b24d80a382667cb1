public import Foundation

/// `new_message` and `message_updated`: a message and when the event was sent.
public struct MessageEvent: Hashable, Sendable {
    /// The message.
    public var data: Message
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(data: Message, timestamp: Date) {
        self.data = data
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case data, timestamp
    }
}

extension MessageEvent: JSONDecodable {
    /// Reads `new_message` / `message_updated` (its `type` is skipped like any unknown field).
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var data: Message?, timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "data": data = try reader.read(Message.self)
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            data: try reader.required(data, "data", objectAt: start),
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension MessageEvent: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(data, for: CodingKeys.data)
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
