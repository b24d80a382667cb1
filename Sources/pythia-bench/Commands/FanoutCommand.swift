import ArgumentParser

/// Fan-out of the full pythia server: authenticated subscribers, REST publishers.
struct FanoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout",
        abstract: "Deliveries/s and publish→receive latency of the pythia server to N WebSocket subscribers."
    )

    @OptionGroup var load: FanoutOptions
    @OptionGroup var server: ServerOptions
    @OptionGroup var cluster: ClusterOptions

    struct Output: Codable {
        var summary: FanoutSummary?
        var runs: [FanoutRun]
    }

    func validate() throws {
        try cluster.check(with: server)
        guard cluster.processes != nil else { return }
        // A post of a user over the server's limit answers 429: the run would measure the limiter.
        let limit = ServerCluster.postsPerSecondPerUser
        guard load.rate > 0, load.rate / Double(load.senders) <= limit else {
            throw ValidationError(
                "a pythia-chat --serve process allows each user \(Format.number(limit)) posts a second (no flag raises it): "
                    + "with --processes give a --rate and at least --rate/\(Format.number(limit)) --senders")
        }
    }

    func run() async throws {
        FileLimit.raiseToHard()
        var runs: [FanoutRun] = []
        var lastReport: LoadReport?
        for _ in 0..<load.runs {
            let target = try await cluster.startTarget(server)
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
