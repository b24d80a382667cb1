import Histogram

/// Per-iteration timings of one micro-benchmark scenario.
struct TimingRun: Codable, Sendable {
    var scenario: String
    var iterations: Int
    var perSecond: Double
    var meanMicros: Double
    var p50Micros: Double
    var p99Micros: Double
    var maxMicros: Double

    /// Times `body` `iterations` times, one clock reading around each call.
    static func measure(_ scenario: String, iterations: Int, _ body: (Int) -> Void) -> TimingRun {
        var nanos = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        let start = MonotonicClock.now()
        for iteration in 0..<iterations {
            let before = MonotonicClock.now()
            body(iteration)
            _ = nanos.record(min(MonotonicClock.now() - before, nanos.highestTrackableValue))
        }
        let seconds = MonotonicClock.seconds(from: start, to: MonotonicClock.now())
        return TimingRun(
            scenario: scenario, iterations: iterations,
            perSecond: seconds > 0 ? Double(iterations) / seconds : 0,
            meanMicros: nanos.mean / 1000,
            p50Micros: Double(nanos.valueAtPercentile(50)) / 1000,
            p99Micros: Double(nanos.valueAtPercentile(99)) / 1000,
            maxMicros: Double(nanos.max) / 1000)
    }

    /// The run whose rate is the median of `runs` (all of one scenario).
    static func median(_ runs: [TimingRun]) -> TimingRun? {
        let sorted = runs.sorted { $0.perSecond < $1.perSecond }
        return sorted.isEmpty ? nil : sorted[sorted.count / 2]
    }

    var row: (String, String) {
        (scenario, "\(Format.number(perSecond))/s   mean \(Format.fixed(meanMicros, 1)) µs, p50 \(Format.fixed(p50Micros, 1)) µs, p99 \(Format.fixed(p99Micros, 1)) µs, max \(Format.fixed(maxMicros, 1)) µs")
    }
}
