import Histogram

/// Latency percentiles in milliseconds.
struct LatencySummary: Codable, Sendable {
    var p50: Double
    var p99: Double
    var p999: Double
    var max: Double
    var mean: Double
    var count: UInt64

    init(_ micros: Histogram<UInt64>) {
        func ms(_ value: UInt64) -> Double { Double(value) / 1000 }
        p50 = micros.totalCount > 0 ? ms(micros.valueAtPercentile(50)) : 0
        p99 = micros.totalCount > 0 ? ms(micros.valueAtPercentile(99)) : 0
        p999 = micros.totalCount > 0 ? ms(micros.valueAtPercentile(99.9)) : 0
        max = micros.totalCount > 0 ? ms(micros.max) : 0
        mean = micros.totalCount > 0 ? micros.mean / 1000 : 0
        count = micros.totalCount
    }

    init(p50: Double, p99: Double, p999: Double, max: Double, mean: Double, count: UInt64) {
        (self.p50, self.p99, self.p999, self.max, self.mean, self.count) = (p50, p99, p999, max, mean, count)
    }

    var text: String {
        "\(Format.fixed(p50, 2)) / \(Format.fixed(p99, 2)) / \(Format.fixed(p999, 2)) / \(Format.fixed(max, 2)) ms"
    }
}
