public import Foundation

/// A type that writes itself to a ``JSONWriter``: the server's encoding of what it sends over
/// WebSockets, the counterpart of ``JSONDecodable``.
public protocol JSONEncodable {
    /// Writes one value at the writer's position.
    func write(json writer: inout JSONWriter)
}

/// An object that writes its members to a ``JSONWriter``: how ``ServerEvent`` puts its `type`
/// and its payload's fields in one object.
public protocol JSONObjectEncodable: JSONEncodable {
    /// Writes the object's members (with ``JSONWriter/write(_:for:)``), without its braces.
    func writeMembers(json writer: inout JSONWriter)
}

extension JSONObjectEncodable {
    /// Writes the object: its members between braces.
    public func write(json writer: inout JSONWriter) {
        writer.writeObject { writeMembers(json: &$0) }
    }
}

extension String: JSONEncodable {
    /// Writes a JSON string.
    public func write(json writer: inout JSONWriter) {
        writer.writeString(self)
    }
}

extension Bool: JSONEncodable {
    /// Writes `true` or `false`.
    public func write(json writer: inout JSONWriter) {
        writer.writeRaw(self ? "true" : "false")
    }
}

extension Int: JSONEncodable {
    /// Writes the number in decimal.
    public func write(json writer: inout JSONWriter) {
        writer.writeInt(self)
    }
}

extension Date: JSONEncodable {
    /// Writes an RFC 3339 timestamp string in UTC with milliseconds (``Timestamp``).
    public func write(json writer: inout JSONWriter) {
        writer.writeString(Timestamp.format(self))
    }
}

extension Array: JSONEncodable where Element: JSONEncodable {
    /// Writes a JSON array of the elements.
    public func write(json writer: inout JSONWriter) {
        writer.writeArray(self)
    }
}

extension RawRepresentable where Self: JSONEncodable, RawValue == String {
    /// Writes the wire value as a JSON string.
    public func write(json writer: inout JSONWriter) {
        writer.writeString(rawValue)
    }
}
