import Foundation

extension Date {
    /// Whole seconds since 1970, rounded up and clamped to what a database column holds: a
    /// token's `exp` may be any number.
    var storedEpochSeconds: Int64 {
        let seconds = timeIntervalSince1970.rounded(.up)
        guard seconds.isFinite else { return seconds > 0 ? .max : 0 }
        return Int64(min(max(seconds, 0), 1e15))
    }
}
