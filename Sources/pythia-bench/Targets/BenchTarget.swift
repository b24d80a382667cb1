/// A server the load generator can be pointed at: where it listens, how its subscribers and
/// senders address it, and whose process to watch.
protocol BenchTarget: Sendable {
    /// Short name for reports (`pythia`, `floor`).
    var name: String { get }
    var host: String { get }
    var port: Int { get }
    /// The server's process; nil when it runs inside this one, or in several (``serverPIDs``).
    var serverPID: Int32? { get }
    /// Every process of the server, whose memory and CPU are summed; empty when it runs
    /// inside this one.
    var serverPIDs: [Int32] { get }
    var greeting: LoadPlan.Greeting { get }
    var bodyShape: LoadPlan.BodyShape { get }

    /// Creates what `subscribers` connections over `channels` channels and `senders` publishers
    /// need (accounts, tokens, channels) and returns them as a plan's audience.
    func prepare(subscribers: Int, channels: Int, senders: Int) async throws -> BenchAudience

    /// Stops the server if this process started it.
    func stop() async
}

extension BenchTarget {
    /// A server of one process: ``serverPID``.
    var serverPIDs: [Int32] { serverPID.map { [$0] } ?? [] }

    /// A plan for this target with `audience` and the given load.
    func plan(
        audience: BenchAudience, rate: Double, duration: Double, drainTimeout: Double, hold: Double,
        connectConcurrency: Int, threads: Int
    ) -> LoadPlan {
        LoadPlan(
            host: host, port: port, greeting: greeting, bodyShape: bodyShape,
            channels: audience.channels, subscribers: audience.subscribers, senders: audience.senders,
            rate: rate, duration: duration, drainTimeout: drainTimeout, hold: hold,
            connectConcurrency: connectConcurrency, threads: threads)
    }
}
