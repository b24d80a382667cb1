import Foundation
import PythiaProtocol
import Testing

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_704_623_400.123)
        #expect(Timestamp.format(date) == "2024-01-07T10:30:00.123Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    /// Each field is zero-padded to its width, as Foundation's calendar gives it (Gregorian
    /// since 1583); the millisecond is the nearest, so that a date made from a stored
    /// millisecond is written as that millisecond (floored, `…:59.999` came out `…:59.998`);
    /// dates past either end of years 1–9999 are written as that end.
    @Test func formatsAsTheCalendarSaysFromYear1600To9999() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var generator = SystemRandomNumberGenerator()
        let seconds = [-11_676_096_000.0, -1.0, -0.001, 0.5, 59.999, 3_599.0, 86_399.999, 253_402_300_799.999]
            + (0..<2_000).map { _ in Double(Int64.random(in: -11_676_096_000_000...253_402_300_799_999, using: &generator)) / 1000 }
        for second in seconds {
            let date = Date(timeIntervalSince1970: second)
            let millis = Int((second * 1000).rounded())
            let (whole, fraction) = (millis - (millis % 1000 + 1000) % 1000, (millis % 1000 + 1000) % 1000)
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(whole / 1000)))
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
                parts.second!, fraction)
            #expect(Timestamp.format(date) == expected, "\(second)")
        }
        #expect(Timestamp.format(.distantPast) == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -1e300)) == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: .nan)) == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1e300)) == "9999-12-31T23:59:59.999Z")
    }

    @Test func parsesWithAndWithoutFraction() throws {
        let whole = try #require(Timestamp.parse("2024-01-07T10:30:00Z"))
        #expect(whole.timeIntervalSince1970 == 1_704_623_400)
        let millis = try #require(Timestamp.parse("2024-01-07T10:30:00.123Z"))
        #expect(abs(millis.timeIntervalSince1970 - 1_704_623_400.123) < 0.000_5)
        let micros = try #require(Timestamp.parse("2024-01-07T10:30:00.123456Z"))
        #expect(abs(micros.timeIntervalSince1970 - 1_704_623_400.123456) < 0.000_005)
        let offset = try #require(Timestamp.parse("2024-01-07T12:30:00+02:00"))
        #expect(offset == whole)
    }

    @Test(arguments: ["", "2024-01-07", "2024-01-07T10:30:00", "2024-13-07T10:30:00Z", "2024-01-07T10:30:00.Z",
                      "2024-01-07T10:30:00Zjunk", "not a date", "2024-01-07T25:00:00Z"])
    func rejectsMalformed(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func roundTripsThroughFormatting() throws {
        for seconds in stride(from: -86_400.0 * 400, through: 86_400.0 * 365 * 60, by: 86_400.0 * 37.3) {
            let date = Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000)
            let parsed = try #require(Timestamp.parse(Timestamp.format(date)))
            #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.001)
        }
    }
}
