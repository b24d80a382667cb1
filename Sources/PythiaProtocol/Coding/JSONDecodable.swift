public import Foundation

/// A type that reads itself from a ``JSONReader``: the client's decoding of everything the
/// server sends, without `Codable`'s keyed containers.
public protocol JSONDecodable {
    /// Reads one value at the reader's position, consuming exactly that value.
    init(json reader: inout JSONReader) throws(JSONError)
}

extension String: JSONDecodable {
    /// Reads a JSON string.
    public init(json reader: inout JSONReader) throws(JSONError) {
        self = try reader.readString()
    }
}

extension Bool: JSONDecodable {
    /// Reads `true` or `false`.
    public init(json reader: inout JSONReader) throws(JSONError) {
        self = try reader.readBool()
    }
}

extension Int: JSONDecodable {
    /// Reads an integral number.
    public init(json reader: inout JSONReader) throws(JSONError) {
        self = try reader.readInt()
    }
}

extension Double: JSONDecodable {
    /// Reads a finite number.
    public init(json reader: inout JSONReader) throws(JSONError) {
        self = try reader.readDouble()
    }
}

extension Date: JSONDecodable {
    /// Reads an RFC 3339 timestamp string, with or without fractional seconds (``Timestamp``).
    public init(json reader: inout JSONReader) throws(JSONError) {
        let (date, offset) = try reader.withStringBytes(Timestamp.parse(utf8:))
        guard let date else {
            reader.offset = offset
            throw JSONError(.invalidTimestamp(try reader.readString()), at: offset)
        }
        self = date
    }
}

extension Array: JSONDecodable where Element: JSONDecodable {
    /// Reads a JSON array of elements.
    public init(json reader: inout JSONReader) throws(JSONError) {
        self = []
        try reader.beginArray()
        while try reader.nextElement() {
            append(try Element(json: &reader))
        }
    }
}

extension JSONReader {
    /// Reads a `T`.
    public mutating func read<T: JSONDecodable>(_ type: T.Type) throws(JSONError) -> T {
        try T(json: &self)
    }

    /// Reads a `T`, or `nil` for `null`.
    public mutating func readIfPresent<T: JSONDecodable>(_ type: T.Type) throws(JSONError) -> T? {
        try readNull() ? nil : T(json: &self)
    }
}
