/// One search result: a message and where the query's words occur in its content.
public struct SearchHit: Encodable, Hashable, Sendable, Identifiable {
    /// The message found.
    public var message: Message
    /// The matched words' character ranges in `message.content`, end excluded, in order.
    public var highlights: [Range<Int>]

    /// Creates a hit.
    public init(message: Message, highlights: [Range<Int>]) {
        self.message = message
        self.highlights = highlights
    }

    /// The message's id.
    public var id: String { message.id }

    enum CodingKeys: String, CodingKey {
        case highlights
    }

    /// Encodes the message's fields and, beside them, `"highlights": [[start, end], …]`.
    public func encode(to encoder: any Encoder) throws {
        try message.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(highlights.map { [$0.lowerBound, $0.upperBound] }, forKey: .highlights)
    }
}

extension SearchHit: JSONDecodable {
    /// Reads a message with its `highlights`; pairs that are not `[start, end]` with
    /// `0 ≤ start ≤ end` are dropped, and a hit without highlights has none.
    public init(json reader: inout JSONReader) throws(JSONError) {
        var pairs: [[Int]] = []
        let message = try Message(json: &reader) { key, reader throws(JSONError) in
            if case "highlights" = key {
                pairs = try reader.readIfPresent([[Int]].self) ?? []
            } else {
                try reader.skipValue()
            }
        }
        self.init(message: message, highlights: pairs.compactMap { pair in
            guard pair.count == 2, pair[0] >= 0, pair[0] <= pair[1] else { return nil }
            return pair[0]..<pair[1]
        })
    }
}
