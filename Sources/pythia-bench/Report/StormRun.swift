/// One reconnect storm's figures: every connection attempted at once, timed from the first
/// connect to the last one open (`connection_established` on the chat server, the 101 on the
/// bare floor).
struct StormRun: Codable, Sendable {
    var target: String
    var requested: Int
    var opened: Int
    /// Connects refused by TCP or upgrades answered with something else than 101.
    var refused: Int
    /// Connections closed or reset before they opened.
    var closed: Int
    /// Other failures (connect timeouts…).
    var failed: Int
    var firstFailure: String?
    /// Seconds from the first connect to the last connection open.
    var seconds: Double
    /// Connections opened per second over ``seconds``.
    var handshakesPerSecond: Double
    /// Listen-queue overflows on the machine during the storm (see
    /// ``MachineCounters/listenOverflows()``), nil where they cannot be read.
    var listenOverflows: Int?
    /// One-minute load average when the storm started: the machine is shared.
    var loadAverage: Double?
    /// CPU seconds the server spent from before the first connect until every connection
    /// was open; steadier than wall time on a shared machine. Nil if it could not be read.
    var serverCPUSeconds: Double?
    /// ``serverCPUSeconds`` per connection opened, in microseconds.
    var serverMicrosecondsPerHandshake: Double?

    init(target: String, count: Int, outcome: LoadSession.Outcome, listenOverflows: Int?, loadAverage: Double?) {
        let report = outcome.report
        self.target = target
        requested = count
        opened = report.opened
        refused = report.refusedOpens
        closed = report.closedOpens
        failed = report.failedOpens - report.refusedOpens - report.closedOpens
        firstFailure = outcome.connected.firstFailure
        seconds = report.stormSeconds
        handshakesPerSecond = seconds > 0 ? Double(opened) / seconds : 0
        self.listenOverflows = listenOverflows
        self.loadAverage = loadAverage
        if let idle = outcome.idle, let loaded = outcome.loaded {
            let cpu = loaded.cpuSeconds - idle.cpuSeconds
            serverCPUSeconds = cpu
            serverMicrosecondsPerHandshake = opened > 0 ? cpu / Double(opened) * 1e6 : nil
        }
    }

    var rows: [(String, String)] {
        var rows: [(String, String)] = [
            ("connections open/requested", "\(opened)/\(requested)"),
            ("refused, closed, failed", "\(refused), \(closed), \(failed)"),
            ("first connect to last open", Format.fixed(seconds, 2) + " s"),
            ("handshake rate", Format.number(handshakesPerSecond) + " connections/s"),
            ("listen queue overflows", listenOverflows.map(String.init) ?? "n/a"),
            ("load average (1 min) at start", loadAverage.map { Format.fixed($0, 2) } ?? "n/a"),
            ("server CPU", serverCPUSeconds.map { Format.fixed($0, 2) + " s" } ?? "n/a"),
            ("server CPU per connection", serverMicrosecondsPerHandshake.map { Format.fixed($0, 0) + " µs" } ?? "n/a"),
        ]
        if let firstFailure { rows.append(("first failure", firstFailure)) }
        return rows
    }
}
