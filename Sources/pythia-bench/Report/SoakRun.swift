/// A soak's figures: the server's memory and open files over time, and whether they came back.
struct SoakRun: Codable, Sendable {
    var connections: Int
    var minutes: Double
    var churn: Double
    var rate: Double
    var warmupMinutes: Double
    var start: SoakSample
    var samples: [SoakSample]
    var final: SoakTick
    var endOpenFiles: Int?
    var secondsToReturn: Double?
    /// The first sample at or after the warm-up (nil: the run was not longer than it).
    var warm: SoakSample?
    /// (RSS at the last sample − RSS at `warm`) / RSS at `warm`, in percent.
    var rssGrowthPercent: Double?
    /// Whether the server's open files were back to their start value once all had closed.
    var openFilesReturned: Bool
    /// The kinds of open file (``ProcessSample/openFileKinds(pid:)``) whose count differs
    /// between the start and the end: kind → (start, end).
    var changedFileKinds: [String: [Int]]
    /// Whether the server's sockets — what each connection holds — were back to their start
    /// count: a leak per connection shows here, apart from files opened once for good.
    var socketsReturned: Bool

    init(connections: Int, minutes: Double, churn: Double, rate: Double, warmupMinutes: Double, outcome: SoakSession.Outcome) {
        self.connections = connections
        self.minutes = minutes
        self.churn = churn
        self.rate = rate
        self.warmupMinutes = warmupMinutes
        start = outcome.start
        samples = outcome.samples
        final = outcome.final
        endOpenFiles = outcome.endOpenFiles
        secondsToReturn = outcome.secondsToReturn
        let last = outcome.samples.last
        warm = outcome.samples.first { $0.tick.elapsed >= warmupMinutes * 60 - 1 }
        if let warm, let last, warm.tick.elapsed < last.tick.elapsed,
            let from = warm.serverRSS, let to = last.serverRSS, from > 0 {
            rssGrowthPercent = Double(to - from) / Double(from) * 100
        }
        openFilesReturned = outcome.secondsToReturn != nil
        var changed: [String: [Int]] = [:]
        for kind in Set(outcome.startFileKinds.keys).union(outcome.endFileKinds.keys) {
            let (before, after) = (outcome.startFileKinds[kind] ?? 0, outcome.endFileKinds[kind] ?? 0)
            if before != after { changed[kind] = [before, after] }
        }
        changedFileKinds = changed
        socketsReturned = outcome.endFileKinds["socket", default: 0] <= outcome.startFileKinds["socket", default: 0]
    }

    /// The header of the per-interval lines.
    static let header =
        "elapsed  server RSS  open files    live  opened  closed  posts  deliveries  other frames  errors"

    /// One per-interval line; `previous` gives the interval's deliveries and frames.
    static func line(_ sample: SoakSample, previous: SoakSample?) -> String {
        let tick = sample.tick
        let seconds = Int(tick.elapsed.rounded())
        let elapsed = "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
        let rss = sample.serverRSS.map { Format.fixed(Double($0) / 1_048_576, 1) + " MiB" } ?? "n/a"
        let files = sample.serverOpenFiles.map { Format.number(Double($0)) } ?? "n/a"
        let before = previous?.tick ?? SoakTick()
        let columns: [(String, Int)] = [
            (elapsed, 7), (rss, 10), (files, 10), (Format.number(Double(tick.live)), 6),
            (Format.number(Double(tick.opened - before.opened)), 6), (Format.number(Double(tick.closed - before.closed)), 6),
            (Format.number(Double(tick.published - before.published)), 5),
            (Format.number(Double(tick.deliveries - before.deliveries)), 10),
            (Format.number(Double(tick.otherFrames - before.otherFrames)), 12), (Format.number(Double(tick.errors)), 6),
        ]
        return columns.map { text, width in String(repeating: " ", count: max(0, width - text.count)) + text }
            .joined(separator: "  ")
    }

    /// The summary table.
    var rows: [(String, String)] {
        func mebibytes(_ sample: SoakSample?) -> String {
            sample?.serverRSS.map { Format.fixed(Double($0) / 1_048_576, 1) + " MiB" } ?? "n/a"
        }
        let growth: String
        if let rssGrowthPercent, let warm {
            growth = Format.fixed(rssGrowthPercent, 2) + " % (\(mebibytes(warm)) at \(Format.fixed(warm.tick.elapsed / 60, 1)) min → "
                + "\(mebibytes(samples.last)) at the end; target ≤ 2 %: " + (rssGrowthPercent <= 2 ? "✓" : "✗") + ")"
        } else {
            growth = "n/a (the run is not longer than the \(Format.fixed(warmupMinutes, 1))-minute warm-up)"
        }
        let files = "start \(start.serverOpenFiles.map(String.init) ?? "n/a"), after all closed \(endOpenFiles.map(String.init) ?? "n/a"): "
            + (openFilesReturned ? "back to the start value ✓ (in \(Format.fixed(secondsToReturn ?? 0, 1)) s)" : "not back ✗")
        let peak = samples.compactMap(\.serverRSS).max().map { Format.fixed(Double($0) / 1_048_576, 1) + " MiB" } ?? "n/a"
        var rows: [(String, String)] = [
            ("load", "\(connections) connections, churn \(Format.number(churn))/s, \(Format.number(rate)) posts/s, \(Format.fixed(minutes, 1)) min"),
            ("server RSS start / peak / end", "\(mebibytes(start)) / \(peak) / \(mebibytes(samples.last))"),
            ("RSS growth after the warm-up", growth),
            ("server open files", files),
            ("server sockets", socketsReturned ? "back to the start count ✓" : "more than at the start ✗"),
            ("connections opened / closed", "\(final.opened) / \(final.closed), \(final.churnSkipped) churn steps skipped"),
            ("posts, deliveries, other frames", "\(final.published), \(final.deliveries), \(final.otherFrames)"),
            ("errors", "\(final.errors): \(final.failedOpens) failed opens, \(final.lost) connections lost, "
                + "\(final.closeTimeouts) closes unanswered, \(final.publishErrors) failed posts"),
        ]
        if !changedFileKinds.isEmpty {
            let changes = changedFileKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value[0]) → \($0.value[1])" }
            rows.append(("open files that changed", changes.joined(separator: ", ")))
        }
        if let failure = final.firstFailure { rows.append(("first failure", failure)) }
        return rows
    }
}
