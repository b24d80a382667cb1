/// Writes JSON text as UTF-8 bytes, value by value, for types that write themselves
/// (``JSONEncodable``): the server's encoding of every WebSocket frame it sends, without
/// `Codable`'s keyed containers.
///
/// Written for the hot paths — a handshake's `connection_established` and `user_status`
/// frames, a post's `new_message` and its 201 — where Foundation's `JSONEncoder` spent tens
/// of thousands of instructions per event on boxing and dictionaries. Object members are
/// named by the type's `CodingKeys`, so a field's wire name is declared once for both.
public struct JSONWriter {
    /// The text written so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether a value was written at the current level: the next one needs a comma first.
    private var needsComma = false

    /// A writer whose buffer starts with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// `value` as JSON text.
    public static func bytes(of value: some JSONEncodable, capacity: Int = 256) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        value.write(json: &writer)
        return writer.bytes
    }

    // MARK: Structure

    /// Writes an object whose members `members` writes (with ``write(_:for:)``).
    public mutating func writeObject(_ members: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        members(&self)
        close(UInt8(ascii: "}"))
    }

    /// Writes an array of `elements`.
    public mutating func writeArray<Element: JSONEncodable>(_ elements: some Sequence<Element>) {
        open(UInt8(ascii: "["))
        for element in elements { element.write(json: &self) }
        close(UInt8(ascii: "]"))
    }

    /// Writes the member `key`: `value`.
    public mutating func write(_ value: some JSONEncodable, for key: some CodingKey) {
        writeKey(key.stringValue)
        value.write(json: &self)
    }

    /// Writes the member `key`: `value`, or nothing when `value` is `nil` (as `Codable`'s
    /// `encodeIfPresent` does).
    public mutating func write(_ value: (some JSONEncodable)?, for key: some CodingKey) {
        guard let value else { return }
        write(value, for: key)
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    private mutating func writeKey(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A comma before any value but the first of its object or array (a member's value
    /// follows its key, which wrote the comma).
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    // MARK: Values

    /// Writes `value` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\r`,
    /// `\t` or `\u00XX`; everything else, `/` included, as it is.
    public mutating func writeString(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var plainFrom = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
                appendEscape(for: byte)
                plainFrom = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(for byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hex.utf8Start[Int(byte >> 4)])
            bytes.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }

    /// Writes text that is already valid JSON and needs no escaping (a literal or a number).
    mutating func writeRaw(_ text: StaticString) {
        separate()
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes `value` in decimal.
    mutating func writeInt(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }
}
