/// A strict RFC 8259 reader over UTF-8 bytes that types decode themselves from, field by
/// field, without building a tree (``JSONDecodable``).
///
/// Written for the client's hot path — every WebSocket frame — where Foundation's
/// `JSONDecoder` spends most of its time on keyed-container machinery. Any input gives
/// either a value or a ``JSONError`` with the offending byte's offset: every byte is looked
/// at once per pass, nesting is bounded by ``maxDepth``, and skipped values are validated
/// like read ones.
///
/// A reader only exists inside ``decode(_:from:)``, which lends it the input's bytes: it must
/// not be kept past the `init(json:)` it is passed to.
public struct JSONReader {
    /// How deeply objects and arrays may nest.
    public static let maxDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    public internal(set) var offset = 0
    var depth = 0
    /// Set by `beginObject`/`beginArray` until their first member: no comma is due yet.
    var atFirstMember = false
    /// Reused for strings with escapes, so that they cost one buffer per decode.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Decodes one `T` that must span all of `bytes`, except for whitespace around it.
    public static func decode<T: JSONDecodable>(
        _ type: T.Type, from bytes: UnsafeRawBufferPointer
    ) throws(JSONError) -> T {
        var reader = JSONReader(bytes: bytes.bindMemory(to: UInt8.self))
        let value = try T(json: &reader)
        reader.skipWhitespace()
        guard reader.offset == reader.bytes.count else { throw JSONError(.trailingData, at: reader.offset) }
        return value
    }

    // MARK: Structure

    /// Consumes `{`; returns its offset, for errors about the whole object.
    @discardableResult
    public mutating func beginObject() throws(JSONError) -> Int {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { throw mismatch(expected: .object) }
        return try enter()
    }

    /// The next member's key, with its `:` consumed, or `nil` after consuming the closing `}`.
    ///
    /// The caller reads or skips the member's value before asking for the next key.
    public mutating func nextKey() throws(JSONError) -> JSONKey? {
        skipWhitespace()
        var byte = peek()
        if byte == UInt8(ascii: "}") {
            leave()
            return nil
        }
        if atFirstMember {
            atFirstMember = false
        } else {
            guard byte == UInt8(ascii: ",") else { throw unexpected() }
            offset += 1
            skipWhitespace()
            byte = peek()
        }
        guard byte == UInt8(ascii: "\"") else { throw unexpected() }
        let key = try readKey()
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw unexpected() }
        offset += 1
        return key
    }

    /// Consumes `[`.
    public mutating func beginArray() throws(JSONError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "[") else { throw mismatch(expected: .array) }
        try enter()
    }

    /// Whether another element follows (its comma consumed); `false` after consuming `]`.
    ///
    /// The caller reads or skips the element before asking again.
    public mutating func nextElement() throws(JSONError) -> Bool {
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            leave()
            return false
        }
        if atFirstMember {
            atFirstMember = false
        } else {
            guard peek() == UInt8(ascii: ",") else { throw unexpected() }
            offset += 1
        }
        return true
    }

    /// Consumes `null` if it comes next.
    public mutating func readNull() throws(JSONError) -> Bool {
        skipWhitespace()
        guard peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONError) -> Bool {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return false
        default:
            throw mismatch(expected: .bool)
        }
    }

    /// Reads and validates any value, and forgets it.
    public mutating func skipValue() throws(JSONError) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"):
            try enter()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try enter()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""):
            let span = try scanString()
            if span.escaped { try unescape(span) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            _ = try readBool()
        case UInt8(ascii: "n"):
            try expectLiteral("null")
        default:
            throw unexpected()
        }
    }

    /// The value `value` if present, else a ``JSONError/Kind/missingField(_:)`` error that
    /// points at the object starting at `objectOffset`.
    public func required<T>(_ value: T?, _ name: String, objectAt objectOffset: Int) throws(JSONError) -> T {
        guard let value else { throw JSONError(.missingField(name), at: objectOffset) }
        return value
    }

    // MARK: Bytes

    /// The byte at `offset`, or 0 — never valid where structure is expected — at the end.
    @inline(__always)
    func peek() -> UInt8 {
        offset < bytes.count ? bytes[offset] : 0
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    @discardableResult
    private mutating func enter() throws(JSONError) -> Int {
        guard depth < Self.maxDepth else { throw JSONError(.tooDeep, at: offset) }
        depth += 1
        atFirstMember = true
        defer { offset += 1 }
        return offset
    }

    private mutating func leave() {
        offset += 1
        depth -= 1
        atFirstMember = false
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        let base = literal.utf8Start
        for index in 0..<count {
            guard offset < bytes.count else { throw JSONError(.unexpectedEnd, at: offset) }
            guard bytes[offset] == base[index] else { throw unexpected() }
            offset += 1
        }
    }

    /// An error for the byte at `offset`, which cannot start or continue what is being read.
    func unexpected() -> JSONError {
        offset < bytes.count
            ? JSONError(.unexpectedByte(bytes[offset]), at: offset)
            : JSONError(.unexpectedEnd, at: offset)
    }

    /// A type mismatch when the byte at `offset` starts another kind of value; else `unexpected()`.
    func mismatch(expected: JSONValueKind) -> JSONError {
        let found: JSONValueKind
        switch peek() {
        case UInt8(ascii: "{"): found = .object
        case UInt8(ascii: "["): found = .array
        case UInt8(ascii: "\""): found = .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): found = .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): found = .bool
        case UInt8(ascii: "n"): found = .null
        default: return unexpected()
        }
        return JSONError(.typeMismatch(expected: expected, found: found), at: offset)
    }
}
