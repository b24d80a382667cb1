public import Foundation

/// `pong`: the answer to `ping`.
public struct Pong: Hashable, Sendable {
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(timestamp: Date) { self.timestamp = timestamp }

    enum CodingKeys: String, CodingKey {
        case timestamp
    }
}

extension Pong: JSONDecodable {
    /// Reads `pong`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var timestamp: Date?
        while let key = try reader.nextKey() {
            switch key {
            case "timestamp": timestamp = try reader.read(Date.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            timestamp: try reader.required(timestamp, "timestamp", objectAt: start))
    }
}

extension Pong: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(timestamp, for: CodingKeys.timestamp)
    }
}
