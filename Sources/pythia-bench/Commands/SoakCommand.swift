import ArgumentParser
import Foundation

/// Connections opening and closing for a long time while messages flow: does the server's
/// memory level off, and do its open files come back when everyone has gone?
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Hold N connections while closing and reopening some every second and posting; report server RSS and open files each minute.",
        discussion: """
            The connections run in a child process; the server (in this process, or --url with \
            --server-pid) is sampled each minute. At the end every connection closes and the server's \
            open files must return to their start value; RSS growth is measured from the end of the \
            warm-up to the end.
            """
    )

    @Option(help: "Connections to hold.")
    var connections = 10_000

    @Option(help: "Length of the soak, in minutes.")
    var minutes: Double = 30

    @Option(help: "Connections closed and reopened per second (round robin over all of them).")
    var churn: Double = 50

    @Option(help: "Posts per second over all senders, spread evenly in time.")
    var rate: Double = 20

    @Option(help: "Users posting, each into a channel of its own: the first channels, so a post reaches --channel-size connections.")
    var senders = 4

    @Option(help: "Members per channel: each connection's user belongs to one channel of this size.")
    var channelSize = 100

    @Option(help: "Minutes at the start that RSS growth is not measured over.")
    var warmupMinutes: Double = 5

    @Option(help: "Seconds between two report lines.")
    var interval: Double = 60

    @Option(help: "Local addresses 127.0.0.1… to connect from, in turn (a local server only): each gives about 28 000 ports.")
    var sourceAddresses = 4

    @Option(help: "Connection attempts in flight at once, at the start and while churning.")
    var concurrency = 128

    @Flag(help: "Print one JSON object at the end instead of the table.")
    var json = false

    @OptionGroup var server: ServerOptions

    func validate() throws {
        guard connections > 0, minutes > 0, interval > 0, churn >= 0, rate >= 0, warmupMinutes >= 0,
            senders > 0, channelSize > 0, concurrency > 0, (1...254).contains(sourceAddresses)
        else {
            throw ValidationError("--connections, --minutes, --interval, --senders, --channel-size and --concurrency must be positive, "
                + "--churn, --rate and --warmup-minutes ≥ 0, --source-addresses 1…254")
        }
        guard minutes <= 24 * 60, churn <= 10_000, rate <= 100_000, interval <= 3600 else {
            throw ValidationError("--minutes is at most 1440, --churn 10 000/s, --rate 100 000/s, --interval 3600 s")
        }
        if server.url != nil, server.serverPid == nil {
            throw ValidationError("with --url, give --server-pid: the soak measures the server's own memory and open files")
        }
    }

    func run() async throws {
        let limit = FileLimit.raiseToHard()
        if connections + concurrency + 256 > limit {
            throw ValidationError("--connections \(connections) needs more than this process's open-file limit of \(limit) (ulimit -Hn)")
        }
        let target = try await server.startTarget()
        do {
            let channels = (connections + channelSize - 1) / channelSize
            let audience = try await target.prepare(subscribers: connections, channels: channels, senders: senders)
            let load = target.plan(
                audience: audience, rate: rate, duration: minutes * 60, drainTimeout: 0, hold: 0,
                connectConcurrency: concurrency, threads: 1)
            let plan = SoakPlan(
                load: load, churn: churn, reportInterval: interval,
                sourceAddresses: target.host.hasPrefix("127.") ? SourceAddressPool.loopback(count: sourceAddresses) : [],
                closeTimeout: 10)
            if !json {
                Self.emit("soak: \(connections) connections in \(channels) channels, churn \(Format.number(churn))/s, "
                    + "\(Format.number(rate)) posts/s by \(senders) senders, \(Format.fixed(minutes, 1)) min")
                Self.emit(SoakRun.header)
            }
            var previous: SoakSample?
            let outcome = try await SoakSession(plan: plan, serverPID: target.serverPID, settle: 30).run { sample in
                if !json { Self.emit(SoakRun.line(sample, previous: previous)) }
                previous = sample
            }
            let result = SoakRun(
                connections: connections, minutes: minutes, churn: churn, rate: rate, warmupMinutes: warmupMinutes,
                outcome: outcome)
            if json {
                try Format.printJSON(result)
            } else {
                Format.printTable("summary", result.rows)
            }
        } catch {
            await target.stop()
            throw error
        }
        await target.stop()
    }

    /// Writes `line` at once: a line a minute for half an hour must show as it comes even
    /// when the output goes to a file, where `print` would hold it back.
    private static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
