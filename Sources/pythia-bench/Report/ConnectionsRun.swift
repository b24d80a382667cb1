/// One idle-connections run's figures.
struct ConnectionsRun: Codable, Sendable {
    var target: String
    var requested: Int
    var opened: Int
    var failedOpens: Int
    var firstFailure: String?
    var openSeconds: Double
    var opensPerSecond: Double
    /// Connections lost while held.
    var disconnects: Int
    var pingsAnswered: Int
    /// Connections that answered a ping while held.
    var pingedConnections: Int
    var serverRSSIdleMiB: Double?
    var serverRSSOpenMiB: Double?
    var serverRSSEndMiB: Double?
    /// (server RSS at the end of the hold − RSS before any connection) / connections open.
    var bytesPerConnection: Double?

    init(target: String, count: Int, outcome: LoadSession.Outcome) {
        let report = outcome.report
        self.target = target
        requested = count
        opened = report.opened
        failedOpens = report.failedOpens
        firstFailure = outcome.connected.firstFailure
        openSeconds = report.openSeconds
        opensPerSecond = report.openSeconds > 0 ? Double(report.opened) / report.openSeconds : 0
        disconnects = report.disconnects
        pingsAnswered = report.pingsAnswered
        pingedConnections = report.pingedConnections
        func mebibytes(_ sample: ProcessSample?) -> Double? { sample.map { Double($0.residentBytes) / 1_048_576 } }
        serverRSSIdleMiB = mebibytes(outcome.idle)
        serverRSSOpenMiB = mebibytes(outcome.loaded)
        serverRSSEndMiB = mebibytes(outcome.finished)
        if let idle = outcome.idle, let end = outcome.finished, report.opened > 0 {
            bytesPerConnection = Double(end.residentBytes - idle.residentBytes) / Double(report.opened)
        }
    }

    var rows: [(String, String)] {
        var rows: [(String, String)] = [
            ("connections open/requested", "\(opened)/\(requested), failed \(failedOpens)"),
            ("open time, rate", "\(Format.fixed(openSeconds, 2)) s, \(Format.number(opensPerSecond)) opens/s"),
            ("held, lost, pings answered", "\(opened - disconnects) held, \(disconnects) lost, \(pingsAnswered) pings"),
            ("connections answering a ping while held", "\(pingedConnections) of \(opened)"),
            ("server RSS idle / open / end", [serverRSSIdleMiB, serverRSSOpenMiB, serverRSSEndMiB].map { $0.map { Format.fixed($0, 1) } ?? "n/a" }.joined(separator: " / ") + " MiB"),
            ("server memory per connection", bytesPerConnection.map { Format.fixed($0 / 1024, 2) + " KiB" } ?? "n/a"),
        ]
        if let firstFailure { rows.append(("first failure", firstFailure)) }
        return rows
    }
}
