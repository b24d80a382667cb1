import Histogram

/// One fan-out run's figures, as printed and as JSON.
struct FanoutRun: Codable, Sendable {
    var target: String
    var subscribers: Int
    var channels: Int
    var senders: Int
    /// Planned messages per second (0: back to back).
    var rate: Double
    var opened: Int
    var failedOpens: Int
    var published: Int
    var publishedPerSecond: Double
    var publishErrors: Int
    var publishErrorSamples: [String]
    var expectedDeliveries: Int
    var deliveries: Int
    var dropped: Int
    var disconnects: Int
    var deliveriesPerSecond: Double
    var latencyMs: LatencySummary
    var serverRSSMiB: Double?
    /// Server CPU while publishing, in cores (2.0 = both cores of this machine).
    var serverCPU: Double?
    /// Load generator CPU while publishing, in cores.
    var generatorCPU: Double

    init(target: String, plan: LoadPlan, channels: Int, outcome: LoadSession.Outcome) {
        let report = outcome.report
        self.target = target
        self.subscribers = plan.subscribers.count
        self.channels = channels
        self.senders = plan.senders.count
        self.rate = plan.rate
        self.opened = report.opened
        self.failedOpens = report.failedOpens
        self.published = report.published
        self.publishedPerSecond = report.publishSeconds > 0 ? Double(report.published) / report.publishSeconds : 0
        self.publishErrors = report.publishErrors
        self.publishErrorSamples = report.publishErrorSamples
        self.expectedDeliveries = report.expectedDeliveries
        self.deliveries = report.deliveries
        self.dropped = report.dropped
        self.disconnects = report.disconnects
        self.deliveriesPerSecond = report.deliveriesPerSecond
        self.latencyMs = LatencySummary(report.latency)
        self.serverRSSMiB = outcome.finished.map { Double($0.residentBytes) / 1_048_576 }
        if let loaded = outcome.loaded, let finished = outcome.finished {
            self.serverCPU = finished.cpuShare(since: loaded)
        }
        self.generatorCPU = report.generatorCPU
    }

    /// Rows for the human table.
    var rows: [(String, String)] {
        var rows: [(String, String)] = [
            ("target", target),
            ("subscribers (open/failed)", "\(opened)/\(failedOpens) over \(channels) channel(s)"),
            ("senders, planned rate", "\(senders), " + (rate > 0 ? Format.number(rate) + " msg/s" : "back to back")),
            ("published", "\(published) (\(Format.number(publishedPerSecond)) msg/s), errors \(publishErrors)"),
            ("deliveries", "\(deliveries) of \(expectedDeliveries), dropped \(dropped), disconnects \(disconnects)"),
            ("deliveries/s", Format.number(deliveriesPerSecond)),
            ("latency p50 / p99 / p99.9 / max", latencyMs.text),
            ("server CPU (cores)", serverCPU.map { Format.fixed($0, 2) } ?? "n/a"),
            ("server RSS", serverRSSMiB.map { Format.fixed($0, 1) + " MiB" } ?? "n/a"),
            ("load generator CPU (cores)", Format.fixed(generatorCPU, 2)),
        ]
        for sample in publishErrorSamples { rows.append(("publish error", sample)) }
        return rows
    }
}
