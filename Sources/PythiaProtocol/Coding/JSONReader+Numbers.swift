extension JSONReader {
    /// Reads an integer; `2.0` and `2e0` count as 2, `2.5` and numbers beyond `Int` do not.
    public mutating func readInt() throws(JSONError) -> Int {
        let start = try numberStart()
        let integral = try scanNumber()
        guard integral else {
            guard let value = Double(text(from: start)).flatMap({ Int(exactly: $0) }) else { throw JSONError(.notAnInteger, at: start) }
            return value
        }
        let negative = bytes[start] == UInt8(ascii: "-")
        var value = 0
        for index in (negative ? start + 1 : start)..<offset {
            let digit = Int(bytes[index] - UInt8(ascii: "0"))
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAgain) = negative
                ? shifted.subtractingReportingOverflow(digit)
                : shifted.addingReportingOverflow(digit)
            guard !overflow, !overflowAgain else { throw JSONError(.notAnInteger, at: start) }
            value = next
        }
        return value
    }

    /// Reads a number as a `Double`; one too large for it (`1e400`) is ``JSONError/Kind/invalidNumber``
    /// rather than infinity.
    public mutating func readDouble() throws(JSONError) -> Double {
        let start = try numberStart()
        _ = try scanNumber()
        guard let value = Double(text(from: start)), value.isFinite else { throw JSONError(.invalidNumber, at: start) }
        return value
    }

    /// Skips whitespace to a number; the offset of its first byte.
    private mutating func numberStart() throws(JSONError) -> Int {
        skipWhitespace()
        guard peek() == UInt8(ascii: "-") || isDigit(peek()) else { throw mismatch(expected: .number) }
        return offset
    }

    /// The text from `start` to ``offset``.
    private func text(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    /// Moves past the number at `offset` (RFC 8259 grammar); returns whether it has neither
    /// fraction nor exponent.
    mutating func scanNumber() throws(JSONError) -> Bool {
        var integral = true
        if peek() == UInt8(ascii: "-") { offset += 1 }
        switch peek() {
        case UInt8(ascii: "0"):
            offset += 1
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            skipDigits()
        default:
            throw numberError()
        }
        if peek() == UInt8(ascii: ".") {
            integral = false
            offset += 1
            guard isDigit(peek()) else { throw numberError() }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            integral = false
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard isDigit(peek()) else { throw numberError() }
            skipDigits()
        }
        return integral
    }

    private mutating func skipDigits() {
        while isDigit(peek()) { offset += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func numberError() -> JSONError {
        offset < bytes.count ? JSONError(.invalidNumber, at: offset) : JSONError(.unexpectedEnd, at: offset)
    }
}
