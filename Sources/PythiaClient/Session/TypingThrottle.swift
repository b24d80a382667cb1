import Foundation

/// When to tell the server we are typing: a `true` at most every 3 s while composing,
/// a `false` once when composing stops (send or clear). Pure; time comes in.
struct TypingThrottle: Sendable {
    /// How often `true` is repeated while composing.
    var interval: TimeInterval = 3
    private var lastSent: [String: Date] = [:]

    /// The user is (or is no longer) composing in `channelId` at `now`: the `is_typing`
    /// value to send, or `nil` for nothing.
    mutating func composing(_ isComposing: Bool, in channelId: String, at now: Date) -> Bool? {
        if isComposing {
            if let last = lastSent[channelId], now.timeIntervalSince(last) < interval { return nil }
            lastSent[channelId] = now
            return true
        }
        return lastSent.removeValue(forKey: channelId) == nil ? nil : false
    }
}
