import Foundation
import Logging

/// A token-bucket rate: `perSecond` sustained, up to `burst` at once.
public struct RateLimit: Sendable, Hashable {
    /// Tokens added per second.
    public var perSecond: Double
    /// The bucket's size.
    public var burst: Double

    /// Creates a rate limit.
    public init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }
}
