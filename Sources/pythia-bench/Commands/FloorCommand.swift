import ArgumentParser

/// The same fan-out against the bare Hummingbird broadcast and against pythia-chat's server,
/// alternating run by run, so that their ratio comes from one invocation under one load.
struct FloorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floor",
        abstract: "Fan-out against a bare Hummingbird WebSocket broadcast, then against the full server; prints the ratio."
    )

    @OptionGroup var load: FanoutOptions
    @OptionGroup var server: ServerOptions

    @Flag(help: "Measure the bare broadcast only.")
    var floorOnly = false

    @Option(help: "The bare broadcast: hummingbird (the framework's WebSocket broadcast) or epoll (system calls alone on one thread, each delivery its own write).")
    var reference: FloorTarget.Kind = .hummingbird

    struct Output: Codable {
        var floor: FanoutSummary?
        var pythia: FanoutSummary?
        /// pythia deliveries/s over floor deliveries/s.
        var ratio: Double?
        var runs: [FanoutRun]
    }

    func run() async throws {
        FileLimit.raiseToHard()
        var floorRuns: [FanoutRun] = []
        var pythiaRuns: [FanoutRun] = []
        var lastReports: [(String, LoadReport)] = []
        for _ in 0..<load.runs {
            lastReports = []
            let floor = try await FloorTarget.start(reference)
            let floorAudience = try await floor.prepare(subscribers: load.subscribers, channels: load.channels, senders: load.senders)
            let (floorRun, floorReport) = try await load.measure(floor, audience: floorAudience)
            await floor.stop()
            floorRuns.append(floorRun)
            lastReports.append((reference.title, floorReport))
            if !load.json { Format.printTable("floor run \(floorRuns.count)", floorRun.rows) }
            guard !floorOnly else { continue }
            let pythia = try await server.startTarget()
            let pythiaAudience = try await pythia.prepare(subscribers: load.subscribers, channels: load.channels, senders: load.senders)
            let (pythiaRun, pythiaReport) = try await load.measure(pythia, audience: pythiaAudience)
            await pythia.stop()
            pythiaRuns.append(pythiaRun)
            lastReports.append(("pythia-chat server", pythiaReport))
            if !load.json { Format.printTable("pythia run \(pythiaRuns.count)", pythiaRun.rows) }
        }
        let floorSummary = FanoutSummary(floorRuns)
        let pythiaSummary = FanoutSummary(pythiaRuns)
        var ratio: Double?
        if let floorSummary, let pythiaSummary, floorSummary.deliveriesPerSecond > 0 {
            ratio = pythiaSummary.deliveriesPerSecond / floorSummary.deliveriesPerSecond
        }
        if let svg = load.svg {
            try LatencyPicture(
                title: "Publish→receive latency, \(load.subscribers) subscribers, " + (load.rate > 0 ? "\(Format.number(load.rate)) msg/s" : "maximum rate"),
                series: lastReports.map { ($0.0, $0.1.latency) }
            ).write(to: svg)
        }
        if load.json {
            try Format.printJSON(Output(floor: floorSummary, pythia: pythiaSummary, ratio: ratio, runs: floorRuns + pythiaRuns))
        } else {
            if let floorSummary { Format.printTable("floor (\(reference.title))", floorSummary.rows) }
            if let pythiaSummary { Format.printTable("pythia-chat server", pythiaSummary.rows) }
            if let ratio { print("pythia / floor deliveries/s: \(Format.fixed(ratio, 2))") }
        }
    }
}
