extension JSONReader {
    /// Where a string's content lies (between its quotes) and whether it needs unescaping.
    struct StringSpan {
        /// The offset of the opening quote.
        var quote: Int
        var start: Int
        var end: Int
        var escaped: Bool
    }

    /// Reads a string.
    public mutating func readString() throws(JSONError) -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw mismatch(expected: .string) }
        let span = try scanString()
        if span.escaped {
            try unescape(span)
            return String(decoding: scratch, as: UTF8.self)
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]), as: UTF8.self)
    }

    /// Reads a string and hands its UTF-8 bytes to `body` without making a `String` of them.
    mutating func withStringBytes<R>(
        _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) throws(JSONError) -> (value: R, offset: Int) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw mismatch(expected: .string) }
        let span = try scanString()
        if span.escaped {
            try unescape(span)
            return (scratch.withUnsafeBufferPointer(body), span.quote)
        }
        return (body(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])), span.quote)
    }

    /// Reads an object key; the opening quote is at `offset`.
    mutating func readKey() throws(JSONError) -> JSONKey {
        let span = try scanString()
        if span.escaped {
            try unescape(span)
            return JSONKey(decoded: String(decoding: scratch, as: UTF8.self))
        }
        return JSONKey(raw: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
    }

    /// Finds the end of the string whose opening quote is at `offset` and moves past it,
    /// checking its UTF-8 and control characters; escapes are checked by `unescape`.
    mutating func scanString() throws(JSONError) -> StringSpan {
        let quote = offset
        var index = offset + 1
        var escaped = false
        while true {
            // `index` is past the end after a backslash in the last byte.
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: bytes.count) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
            } else if byte < 0x20 {
                throw JSONError(.controlCharacterInString, at: index)
            } else if byte < 0x80 {
                index += 1
            } else {
                index = try endOfUTF8Sequence(at: index)
            }
        }
        offset = index + 1
        return StringSpan(quote: quote, start: quote + 1, end: index, escaped: escaped)
    }

    /// The offset after the multi-byte UTF-8 sequence starting at `index` (RFC 3629: no
    /// overlong forms, no surrogates, nothing above U+10FFFF).
    private func endOfUTF8Sequence(at index: Int) throws(JSONError) -> Int {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw JSONError(.invalidUTF8, at: index)
        }
        for position in index + 1..<index + length {
            guard position < bytes.count else { throw JSONError(.unexpectedEnd, at: position) }
            let byte = bytes[position]
            let (min, max) = position == index + 1 ? (low, high) : (0x80, 0xBF)
            guard byte >= min, byte <= max else { throw JSONError(.invalidUTF8, at: position) }
        }
        return index + length
    }

    /// Writes the content of `span` with its escapes resolved into `scratch`.
    mutating func unescape(_ span: StringSpan) throws(JSONError) {
        scratch.removeAll(keepingCapacity: true)
        var index = span.start
        while index < span.end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                scratch.append(byte)
                index += 1
                continue
            }
            let escapeOffset = index
            index += 1
            switch bytes[index] {
            case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var unit = try hexQuad(at: index + 1, end: span.end, escapeAt: escapeOffset)
                index += 4
                if (0xDC00...0xDFFF).contains(unit) { throw JSONError(.invalidUnicodeEscape, at: escapeOffset) }
                if (0xD800...0xDBFF).contains(unit) {
                    guard index + 2 < span.end, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u")
                    else { throw JSONError(.invalidUnicodeEscape, at: escapeOffset) }
                    let low = try hexQuad(at: index + 3, end: span.end, escapeAt: index + 1)
                    guard (0xDC00...0xDFFF).contains(low) else { throw JSONError(.invalidUnicodeEscape, at: index + 1) }
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                appendUTF8(unit)
            default:
                throw JSONError(.invalidEscape, at: escapeOffset)
            }
            index += 1
        }
    }

    /// Appends a scalar value — never a surrogate, at most U+10FFFF — as UTF-8.
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The value of the four hex digits at `index`, which must all lie before `end`.
    private func hexQuad(at index: Int, end: Int, escapeAt escapeOffset: Int) throws(JSONError) -> UInt32 {
        guard index + 4 <= end else { throw JSONError(.invalidUnicodeEscape, at: escapeOffset) }
        var value: UInt32 = 0
        for position in index..<index + 4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError(.invalidUnicodeEscape, at: escapeOffset)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
