public import Foundation

/// RFC 3339 timestamps as the contract writes them: UTC, `Z`, milliseconds when emitted,
/// with or without fractional seconds (and with a numeric offset) when read.
///
/// Hand-written rather than `ISO8601DateFormatter` because it runs for every frame a
/// client decodes and every frame the server encodes, and needs no locking.
public enum Timestamp {
    /// Formats `date` as `2024-01-07T10:30:00.123Z`.
    public static func format(_ date: Date) -> String {
        // Any Date formats: one outside years 1–9999 (or NaN) is written as the nearest end.
        // The nearest millisecond: a date made from a stored one is a hair below it as often as above.
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        let totalMillis: Int64 = millis < -62_135_596_800_000 || millis.isNaN ? -62_135_596_800_000
            : millis > 253_402_300_799_999 ? 253_402_300_799_999 : Int64(millis)
        var days = totalMillis / 86_400_000
        var millisOfDay = totalMillis % 86_400_000
        if millisOfDay < 0 {
            millisOfDay += 86_400_000
            days -= 1
        }
        let (year, month, day) = civilDate(fromDays: days)
        let seconds = millisOfDay / 1000
        // Written digit by digit into the string's own storage: every event and resource has
        // dates, and `String(Int)` with zero padding cost 5 000 instructions a date.
        return String(unsafeUninitializedCapacity: 24) { text in
            var end = 0
            func put(_ value: Int64, width: Int, then separator: Unicode.Scalar) {
                var value = value
                for index in stride(from: end + width - 1, through: end, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                end += width
                text[end] = UInt8(ascii: separator)
                end += 1
            }
            put(year, width: 4, then: "-")
            put(month, width: 2, then: "-")
            put(day, width: 2, then: "T")
            put(seconds / 3600, width: 2, then: ":")
            put(seconds / 60 % 60, width: 2, then: ":")
            put(seconds % 60, width: 2, then: ".")
            put(millisOfDay % 1000, width: 3, then: "Z")
            return end
        }
    }

    /// Parses an RFC 3339 timestamp; `nil` when `text` is not one.
    ///
    /// Accepts `2024-01-07T10:30:00Z`, `2024-01-07T10:30:00.123456Z`, a lowercase `t`/`z`,
    /// a space for `T`, and offsets such as `+02:00`.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8(parse(utf8:))
    }

    /// ``parse(_:)`` over a string's UTF-8 bytes, for ``JSONReader`` which has no `String`.
    static func parse(utf8: UnsafeBufferPointer<UInt8>) -> Date? {
        var cursor = Cursor(bytes: utf8)
        guard
            let year = cursor.number(digits: 4), cursor.take("-"),
            let month = cursor.number(digits: 2), cursor.take("-"),
            let day = cursor.number(digits: 2),
            cursor.take("T") || cursor.take("t") || cursor.take(" "),
            let hour = cursor.number(digits: 2), cursor.take(":"),
            let minute = cursor.number(digits: 2), cursor.take(":"),
            let second = cursor.number(digits: 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if cursor.take(".") {
            var scale = 0.1
            var sawDigit = false
            while let digit = cursor.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                sawDigit = true
            }
            guard sawDigit else { return nil }
        }
        var offsetSeconds = 0
        if cursor.take("Z") || cursor.take("z") {
            // UTC.
        } else if let sign = cursor.take("+") ? 1 : cursor.take("-") ? -1 : nil {
            guard let offsetHours = cursor.number(digits: 2), cursor.take(":"),
                  let offsetMinutes = cursor.number(digits: 2)
            else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * sign
        } else {
            return nil
        }
        guard cursor.atEnd else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Reads a timestamp's bytes front to back.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
            defer { index += 1 }
            return Int(bytes[index] - UInt8(ascii: "0"))
        }

        mutating func number(digits: Int) -> Int? {
            var value = 0
            for _ in 0..<digits {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }
    }

    // Howard Hinnant's days-from-civil algorithms: exact for the proleptic Gregorian calendar.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilDate(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
