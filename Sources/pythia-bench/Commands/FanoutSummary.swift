/// The median of several fan-out runs of one target.
struct FanoutSummary: Codable, Sendable {
    var target: String
    var runs: Int
    var deliveriesPerSecond: Double
    var latencyMs: LatencySummary
    var serverCPU: Double?
    var serverRSSMiB: Double?
    var dropped: Int
    var publishErrors: Int
    var disconnects: Int

    init?(_ runs: [FanoutRun]) {
        guard let first = runs.first else { return nil }
        func median(_ value: (FanoutRun) -> Double) -> Double { Format.median(runs.map(value)) ?? 0 }
        target = first.target
        self.runs = runs.count
        deliveriesPerSecond = median(\.deliveriesPerSecond)
        latencyMs = LatencySummary(
            p50: median(\.latencyMs.p50), p99: median(\.latencyMs.p99), p999: median(\.latencyMs.p999),
            max: median(\.latencyMs.max), mean: median(\.latencyMs.mean),
            count: runs.map(\.latencyMs.count).reduce(0, +))
        serverCPU = Format.median(runs.compactMap(\.serverCPU))
        serverRSSMiB = Format.median(runs.compactMap(\.serverRSSMiB))
        dropped = runs.map(\.dropped).reduce(0, +)
        publishErrors = runs.map(\.publishErrors).reduce(0, +)
        disconnects = runs.map(\.disconnects).reduce(0, +)
    }

    var rows: [(String, String)] {
        [
            ("deliveries/s (median of \(runs))", Format.number(deliveriesPerSecond)),
            ("latency p50 / p99 / p99.9 / max", latencyMs.text),
            ("server CPU (cores)", serverCPU.map { Format.fixed($0, 2) } ?? "n/a"),
            ("server RSS", serverRSSMiB.map { Format.fixed($0, 1) + " MiB" } ?? "n/a"),
            ("dropped, publish errors, disconnects (all runs)", "\(dropped), \(publishErrors), \(disconnects)"),
        ]
    }
}
