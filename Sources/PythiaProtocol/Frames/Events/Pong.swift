public import Foundation

/// `pong`: the answer to `ping`.
public struct Pong: Encodable, Hashable, Sendable {
    /// When the server sent it.
    public var timestamp: Date

    /// Creates the event.
    public init(timestamp: Date) { self.timestamp = timestamp }
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
