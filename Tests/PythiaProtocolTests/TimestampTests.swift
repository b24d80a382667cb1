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
