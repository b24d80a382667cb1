import Foundation
@testable import PythiaClient
import Testing

@Suite struct TypingThrottleTests {
    @Test func trueAtMostEveryThreeSecondsAndFalseOnce() {
        var throttle = TypingThrottle()
        let t0 = Date(timeIntervalSince1970: 0)
        func at(_ seconds: Double, _ composing: Bool, _ channel: String = "c") -> Bool? {
            throttle.composing(composing, in: channel, at: t0.addingTimeInterval(seconds))
        }
        #expect(at(0, true) == true)
        #expect(at(1, true) == nil)
        #expect(at(2.9, true) == nil)
        #expect(at(3, true) == true)
        #expect(at(3.5, true, "other") == true)
        #expect(at(4, false) == false)
        #expect(at(4.1, false) == nil)
        #expect(at(4.2, true) == true)
        #expect(at(5, false, "never") == nil)
    }
}
