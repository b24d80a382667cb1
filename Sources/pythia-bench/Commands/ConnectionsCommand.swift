import ArgumentParser

/// Idle authenticated connections held through the server's pings: open rate, failures and
/// server memory per connection.
struct ConnectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "Open N idle authenticated WebSocket connections, hold them, and report memory per connection."
    )

    @Option(help: "Connections to open (the server keeps its own open-file limit; the clients run in child processes, as many as their open-file limit needs, each from its own 127.0.0.x address).")
    var count = 1000

    @Option(help: "Seconds to hold them open once all are up (the server pings every 30 s).")
    var hold: Double = 35

    @Option(help: "Members per channel: each connection's user belongs to one channel of this size.")
    var channelSize = 100

    @Option(help: "Connection attempts in flight at once.")
    var concurrency = 128

    @Option(name: .customLong("repeat"), help: "Runs to make; the summary is their median.")
    var runs = 1

    @Flag(help: "Hold the connections on the bare server of --reference instead (no auth, no rooms).")
    var floor = false

    @Flag(help: "A reconnect storm: attempt every connection at once (no --concurrency, no --hold) from several 127.0.0.x addresses, time the first connect to the last connection_established, and storm the bare server of --reference the same way after each run, as the reference.")
    var storm = false

    @Option(help: "The bare server of --storm and --floor: hummingbird (the framework's WebSocket broadcast) or epoll (system calls alone on one thread).")
    var reference: FloorTarget.Kind = .hummingbird

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        try cluster.check(with: server)
        if floor, cluster.processes != nil { throw ValidationError("--floor is one bare server in this process: not with --processes") }
        if floor, storm { throw ValidationError("--storm measures the bare floor server after each run already: not with --floor") }
        guard count > 0, channelSize > 0, concurrency > 0, runs > 0, hold >= 0 else {
            throw ValidationError("--count, --channel-size, --concurrency and --repeat must be positive, --hold ≥ 0")
        }
    }

    struct Output: Codable {
        var target: String
        var count: Int
        /// Medians over the runs.
        var opensPerSecond: Double
        var bytesPerConnection: Double
        var failedOpens: Int
        var disconnects: Int
        var runs: [ConnectionsRun]
    }

    func run() async throws {
        let limit = FileLimit.raiseToHard()
        let serverInThisProcess = floor || storm || (server.url == nil && cluster.processes == nil)
        if count + 64 > limit, serverInThisProcess {
            throw ValidationError("--count \(count) needs more than this process's open-file limit of \(limit) (ulimit -Hn), "
                + "which the server in it shares; several server processes hold more (--processes)")
        }
        if storm { return try await runStorms(limit: limit) }
        var results: [ConnectionsRun] = []
        for _ in 0..<runs {
            let target: any BenchTarget = floor ? try await FloorTarget.start(reference) : try await cluster.startTarget(server)
            let outcome = try await open(on: target, limit: limit)
            let result = ConnectionsRun(target: target.name, count: count, outcome: outcome)
            results.append(result)
            if !json { Format.printTable("\(target.name) run \(results.count)", result.rows) }
        }
        let output = Output(
            target: results.first?.target ?? "",
            count: count,
            opensPerSecond: Format.median(results.map(\.opensPerSecond)) ?? 0,
            bytesPerConnection: Format.median(results.compactMap(\.bytesPerConnection)) ?? 0,
            failedOpens: results.map(\.failedOpens).reduce(0, +),
            disconnects: results.map(\.disconnects).reduce(0, +),
            runs: results)
        if json {
            try Format.printJSON(output)
        } else if runs > 1 {
            Format.printTable("median of \(runs)", [
                ("opens/s", Format.number(output.opensPerSecond)),
                ("server memory per connection", Format.fixed(output.bytesPerConnection / 1024, 2) + " KiB"),
                ("failed opens, disconnects (all runs)", "\(output.failedOpens), \(output.disconnects)"),
            ])
        }
    }

    /// Opens `count` connections on `target` from as many `load` children as they need (a
    /// storm: all at once, from at least ``stormChildren``), holds them, and stops `target`.
    func open(on target: any BenchTarget, limit: Int) async throws -> LoadSession.Outcome {
        // Each child keeps room for its event loop, pipes and the connects in flight (a storm's
        // are all of its connections, counted already).
        let perChild = max(1, limit - 256 - (storm ? 0 : concurrency))
        let needed = (count + perChild - 1) / perChild
        let children = storm ? max(needed, min(count, Self.stormChildren)) : needed
        do {
            let channels = (count + channelSize - 1) / channelSize
            let audience = try await target.prepare(subscribers: count, channels: channels, senders: 0)
            var plan = target.plan(
                audience: audience, rate: 0, duration: 0, drainTimeout: 0, hold: storm ? 0 : hold,
                connectConcurrency: storm ? count : concurrency, threads: 1)
            if children > 1, target.host.hasPrefix("127.") {
                plan.sourceAddresses = SourceAddressPool.loopback(count: children)
            }
            let outcome = try await LoadSession(plans: plan.split(into: children), serverPIDs: target.serverPIDs, settle: storm ? 0 : 2).run()
            await target.stop()
            return outcome
        } catch {
            await target.stop()
            throw error
        }
    }
}
