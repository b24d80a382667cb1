import Histogram

/// What the `load` child measured, sent back to the parent as one JSON line.
struct LoadReport: Codable, Sendable {
    var opened: Int = 0
    var failedOpens: Int = 0
    /// Of the failed opens, those refused (TCP or upgrade) and those closed before they opened.
    var refusedOpens: Int = 0
    var closedOpens: Int = 0
    /// Seconds from the first connection attempt to the last connection open.
    var openSeconds: Double = 0
    /// When the first connection was attempted and the last one opened (``MonotonicClock``,
    /// which all processes share): a storm's span across the `load` children.
    var firstAttemptAt: UInt64 = 0
    var lastOpenAt: UInt64 = 0
    var published: Int = 0
    var publishErrors: Int = 0
    /// First few distinct publish failures, for the human report.
    var publishErrorSamples: [String] = []
    var expectedDeliveries: Int = 0
    var deliveries: Int = 0
    /// Text frames without a bench stamp (presence, greetings…).
    var otherFrames: Int = 0
    /// Connections closed by the server or the network after they opened.
    var disconnects: Int = 0
    var pingsAnswered: Int = 0
    /// Connections that answered at least one ping after the go-ahead (while held).
    var pingedConnections: Int = 0
    /// Seconds from the first publish to the last delivery (or the end of the drain).
    var deliverySeconds: Double = 0
    /// Seconds publishing actually took (may exceed the plan when the target is slow).
    var publishSeconds: Double = 0
    /// CPU the load generator itself used while publishing, as a share of one core.
    var generatorCPU: Double = 0
    /// Publish-to-receive latency in microseconds.
    var latency: Histogram<UInt64> = LoadReport.emptyLatency()

    /// Seconds from the first connection attempt to the last connection open, across children.
    var stormSeconds: Double { MonotonicClock.seconds(from: firstAttemptAt, to: lastOpenAt) }

    /// Notes what ``LoadGenerator/openAll(with:)`` opened from `start` on.
    mutating func record(_ opened: LoadGenerator.Opened, startedAt start: UInt64) {
        self.opened = opened.subscribers.count
        failedOpens = opened.failures.count
        refusedOpens = opened.failures.filter { $0.kind == .refused }.count
        closedOpens = opened.failures.filter { $0.kind == .closed }.count
        firstAttemptAt = start
        lastOpenAt = opened.lastOpenAt
    }

    var deliveriesPerSecond: Double { deliverySeconds > 0 ? Double(deliveries) / deliverySeconds : 0 }
    var dropped: Int { max(0, expectedDeliveries - deliveries) }

    /// A histogram for microsecond latencies up to ten minutes, three significant digits.
    static func emptyLatency() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }
}
