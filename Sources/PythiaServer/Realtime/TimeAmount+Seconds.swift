import NIOCore

extension TimeAmount {
    /// `seconds` as a time amount, for any value: zero for a negative one (or NaN), the
    /// longest amount (about 292 years) for one past it. A token's `exp` may be any number,
    /// and `Int64(seconds * 1e9)` traps past 9.2e9 seconds.
    static func clamped(seconds: Double) -> TimeAmount {
        guard seconds > 0 else { return .zero }
        let nanoseconds = seconds * 1e9
        // 2^63 is exactly representable, and every Double below it converts.
        return nanoseconds < Double(Int64.max) ? .nanoseconds(Int64(nanoseconds)) : .nanoseconds(.max)
    }
}
