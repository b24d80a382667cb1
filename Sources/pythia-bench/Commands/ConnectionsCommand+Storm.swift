/// `connections --storm`: the server under test and the bare floor server, storm after storm.
extension ConnectionsCommand {
    /// `load` children a storm spreads over at least, each from its own 127.0.0.x address, so
    /// that the clients' connect loop is not one process's.
    static let stormChildren = 4

    /// The storms' summary: medians over the runs, the target's against the reference's.
    struct StormOutput: Codable {
        var target: String
        var count: Int
        /// Median seconds from the first connect to the last connection open.
        var seconds: Double
        var referenceSeconds: Double
        /// `seconds / referenceSeconds`: the issue's target is ≤ 1.5.
        var ratio: Double
        var handshakesPerSecond: Double
        var referenceHandshakesPerSecond: Double
        /// Median server CPU per connection opened, in microseconds (nil if unreadable).
        var serverMicrosecondsPerHandshake: Double?
        var referenceServerMicrosecondsPerHandshake: Double?
        /// The target's refused, closed and otherwise failed connections, all runs.
        var refused: Int
        var closed: Int
        var failed: Int
        /// Target and reference alternating: target, floor, target, floor…
        var runs: [StormRun]
    }

    /// Storms the server under test, then the bare floor server, `--repeat` times, and reports
    /// both.
    func runStorms(limit: Int) async throws {
        var results: [StormRun] = []
        for _ in 0..<runs {
            for reference in [false, true] {
                let target: any BenchTarget = reference ? try await FloorTarget.start(self.reference) : try await cluster.startTarget(server)
                let loadAverage = MachineCounters.loadAverage()
                let overflowsBefore = MachineCounters.listenOverflows()
                let outcome = try await open(on: target, limit: limit)
                let overflows = MachineCounters.listenOverflows().flatMap { after in overflowsBefore.map { after - $0 } }
                let result = StormRun(
                    target: target.name, count: count, outcome: outcome, listenOverflows: overflows, loadAverage: loadAverage)
                results.append(result)
                if !json { Format.printTable("storm \(results.count): \(target.name)", result.rows) }
            }
        }
        let measured = results.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        let references = results.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let seconds = Format.median(measured.map(\.seconds)) ?? 0
        let referenceSeconds = Format.median(references.map(\.seconds)) ?? 0
        let output = StormOutput(
            target: measured.first?.target ?? "",
            count: count,
            seconds: seconds,
            referenceSeconds: referenceSeconds,
            ratio: referenceSeconds > 0 ? seconds / referenceSeconds : 0,
            handshakesPerSecond: Format.median(measured.map(\.handshakesPerSecond)) ?? 0,
            referenceHandshakesPerSecond: Format.median(references.map(\.handshakesPerSecond)) ?? 0,
            serverMicrosecondsPerHandshake: Format.median(measured.compactMap(\.serverMicrosecondsPerHandshake)),
            referenceServerMicrosecondsPerHandshake: Format.median(references.compactMap(\.serverMicrosecondsPerHandshake)),
            refused: measured.map(\.refused).reduce(0, +),
            closed: measured.map(\.closed).reduce(0, +),
            failed: measured.map(\.failed).reduce(0, +),
            runs: results)
        if json {
            try Format.printJSON(output)
        } else {
            Format.printTable("median of \(runs) storm(s) of \(count)", [
                ("\(output.target): first connect to last open", Format.fixed(output.seconds, 2) + " s, "
                    + Format.number(output.handshakesPerSecond) + " connections/s"),
                ("\(references.first?.target ?? "floor") (reference)", Format.fixed(output.referenceSeconds, 2) + " s, "
                    + Format.number(output.referenceHandshakesPerSecond) + " connections/s"),
                ("ratio to the reference", Format.fixed(output.ratio, 2) + "×"),
                ("server CPU per connection, \(output.target) / \(references.first?.target ?? "floor")",
                 [output.serverMicrosecondsPerHandshake, output.referenceServerMicrosecondsPerHandshake]
                    .map { $0.map { Format.fixed($0, 0) + " µs" } ?? "n/a" }.joined(separator: " / ")),
                ("\(output.target): refused, closed, failed (all runs)", "\(output.refused), \(output.closed), \(output.failed)"),
            ])
        }
    }
}
