/// Why ``JSONReader`` refused its input: what went wrong and at which byte.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Hashable, Sendable {
        /// The input ended inside a value.
        case unexpectedEnd
        /// A byte that cannot appear here.
        case unexpectedByte(UInt8)
        /// A backslash followed by something other than one of JSON's escapes.
        case invalidEscape
        /// A `\u` escape that is not four hex digits, or a UTF-16 surrogate without its pair.
        case invalidUnicodeEscape
        /// Bytes inside a string that are not UTF-8.
        case invalidUTF8
        /// An unescaped control character (below U+0020) inside a string.
        case controlCharacterInString
        /// A number that does not follow RFC 8259's grammar.
        case invalidNumber
        /// A number where an integer is wanted that has a fraction or does not fit in `Int`.
        case notAnInteger
        /// Objects and arrays nested deeper than ``JSONReader/maxDepth``.
        case tooDeep
        /// Something other than whitespace after the top-level value.
        case trailingData
        /// A value of another kind than the one wanted.
        case typeMismatch(expected: JSONValueKind, found: JSONValueKind)
        /// An object without a field that is required.
        case missingField(String)
        /// A string that is not an RFC 3339 timestamp where one is wanted.
        case invalidTimestamp(String)
        /// An object member whose value is not of the kind its field takes.
        case invalidField(String)
    }

    /// What went wrong.
    public var kind: Kind
    /// The byte offset in the input where it was found.
    public var offset: Int

    /// Creates an error.
    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// A one-line explanation that names the offset.
    public var description: String {
        let what = switch kind {
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedByte(let byte):
            (0x20..<0x7F).contains(byte)
                ? "unexpected character '\(Character(Unicode.Scalar(byte)))'"
                : "unexpected byte 0x\(String(byte, radix: 16))"
        case .invalidEscape: "invalid escape sequence"
        case .invalidUnicodeEscape: "invalid \\u escape or unpaired surrogate"
        case .invalidUTF8: "invalid UTF-8"
        case .controlCharacterInString: "unescaped control character in a string"
        case .invalidNumber: "malformed number"
        case .notAnInteger: "number is not an integer that fits in 64 bits"
        case .tooDeep: "nesting deeper than \(JSONReader.maxDepth) levels"
        case .trailingData: "data after the JSON value"
        case .typeMismatch(let expected, let found): "expected \(expected), found \(found)"
        case .missingField(let name): "missing field '\(name)'"
        case .invalidTimestamp(let text): "'\(text)' is not an RFC 3339 timestamp"
        case .invalidField(let name): "field '\(name)' has the wrong type"
        }
        return "invalid JSON at byte \(offset): \(what)"
    }
}
