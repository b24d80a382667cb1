import ArgumentParser

/// The load shape shared by `fanout` and `floor`.
struct FanoutOptions: ParsableArguments {
    @Option(help: "WebSocket subscribers to open.")
    var subscribers = 1000

    @Option(help: "Channels the subscribers and senders are spread over.")
    var channels = 1

    @Option(help: "Publishing users, each posting over HTTP.")
    var senders = 4

    @Option(help: "Messages per second across all senders; 0 posts back to back (maximum rate).")
    var rate: Double = 0

    @Option(help: "Seconds of publishing.")
    var duration: Double = 10

    @Option(help: "Longest wait in seconds for deliveries still in flight after publishing stops.")
    var drain: Double = 10

    @Option(help: "Event-loop threads of the load generator.")
    var threads = 1

    @Option(name: .customLong("repeat"), help: "Runs to make; the summary is their median.")
    var runs = 1

    @Option(help: "Write the latency distribution of the last run as an SVG picture to this path.")
    var svg: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard subscribers > 0, channels > 0, senders > 0 else {
            throw ValidationError("--subscribers, --channels and --senders must be at least 1")
        }
        guard channels <= subscribers else { throw ValidationError("--channels cannot exceed --subscribers") }
        guard rate >= 0, duration > 0, drain >= 0 else {
            throw ValidationError("--rate must be ≥ 0 and --duration > 0")
        }
        guard (1...16).contains(threads), runs >= 1 else {
            throw ValidationError("--threads must be 1…16 and --repeat at least 1")
        }
    }

    /// Runs the fan-out once against `target`.
    func measure(_ target: any BenchTarget, audience: BenchAudience) async throws -> (FanoutRun, LoadReport) {
        let plan = target.plan(
            audience: audience, rate: rate, duration: duration, drainTimeout: drain, hold: 0,
            connectConcurrency: 64, threads: threads)
        let outcome = try await LoadSession(plans: [plan], serverPIDs: target.serverPIDs, settle: 1).run()
        return (FanoutRun(target: target.name, plan: plan, channels: channels, outcome: outcome), outcome.report)
    }
}
