import ArgumentParser

/// Fan-out of the full pythia server: authenticated subscribers, REST publishers.
struct FanoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Deliveries/s and publish→receive latency of the pythia server to N WebSocket subscribers."
    )

    @OptionGroup var load: FanoutOptions
    @OptionGroup var server: ServerOptions

    struct Output: Codable {
        var summary: FanoutSummary?
        var runs: [FanoutRun]
    }

    func run() async throws {
        FileLimit.raiseToHard()
        var runs: [FanoutRun] = []
        var lastReport: LoadReport?
        for _ in 0..<load.runs {
            let target = try await server.startTarget()
            do {
                let audience = try await target.prepare(subscribers: load.subscribers, channels: load.channels, senders: load.senders)
                let (run, report) = try await load.measure(target, audience: audience)
                runs.append(run)
                lastReport = report
                if !load.json { Format.printTable("pythia run \(runs.count)", run.rows) }
            } catch {
                await target.stop()
                throw error
            }
            await target.stop()
        }
        if let svg = load.svg, let lastReport {
            try LatencyPicture(
                title: "pythia publish→receive latency, \(load.subscribers) subscribers, "
                    + (load.rate > 0 ? "\(Format.number(load.rate)) msg/s" : "maximum rate"),
                series: [("pythia-chat server", lastReport.latency)]
            ).write(to: svg)
        }
        let summary = FanoutSummary(runs)
        if load.json {
            try Format.printJSON(Output(summary: summary, runs: runs))
        } else if let summary, runs.count > 1 {
            Format.printTable("pythia-chat server, median", summary.rows)
        }
    }
}
