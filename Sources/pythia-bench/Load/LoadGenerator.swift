import AsyncHTTPClient
import NIOCore
import NIOPosix

/// Runs a ``LoadPlan``: opens every subscriber, waits for the go-ahead, publishes, waits for
/// the deliveries to drain (or holds the idle connections), and reports.
struct LoadGenerator: Sendable {
    let plan: LoadPlan

    /// The phases' results as they become known.
    enum Progress: Sendable {
        case connected(opened: Int, failed: Int, seconds: Double, firstFailure: String?)
    }

    /// A subscriber's open connection.
    struct OpenSubscriber: Sendable {
        /// Index in the plan's subscribers.
        var index: Int
        var channel: any Channel
    }

    /// What ``openAll(with:)`` opened, and what it could not.
    struct Opened: Sendable {
        var subscribers: [OpenSubscriber] = []
        var failures: [OpenFailure] = []
        /// When the last subscriber opened (``MonotonicClock``), 0 if none did.
        var lastOpenAt: UInt64 = 0
    }

    private enum Attempt: Sendable {
        case opened(OpenSubscriber)
        case failed(OpenFailure)
    }

    func run(
        progress: @Sendable (Progress) -> Void,
        goAhead: @Sendable () async -> Void
    ) async throws -> LoadReport {
        FileLimit.raiseToHard()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, plan.threads))
        let recorder = DeliveryRecorder()
        var report = LoadReport()
        let dialer = SocketDialer(
            group: group, host: plan.host, port: plan.port, recorder: recorder, greeting: plan.greeting,
            sources: plan.sourceAddresses.isEmpty ? nil : try SourceAddressPool(addresses: plan.sourceAddresses))

        let connectStart = MonotonicClock.now()
        let opened = await openAll(with: dialer)
        let channels = opened.subscribers
        report.openSeconds = MonotonicClock.seconds(from: connectStart, to: MonotonicClock.now())
        report.record(opened, startedAt: connectStart)
        await Self.waitForQuiet(recorder)
        progress(.connected(
            opened: channels.count, failed: opened.failures.count, seconds: report.openSeconds,
            firstFailure: opened.failures.first?.description))

        await goAhead()
        recorder.resetDeliveries()
        let cpuBefore = ProcessSample.sample()
        if !plan.senders.isEmpty {
            var audience = [Int](repeating: 0, count: plan.channels.count)
            for subscriber in channels { audience[plan.subscribers[subscriber.index].channel] += 1 }
            let client = HTTPClient(eventLoopGroup: group)
            let start = MonotonicClock.now()
            await Publisher(plan: plan, client: client, audience: audience).run(into: &report)
            let drainDeadline = MonotonicClock.now() + UInt64(plan.drainTimeout * 1e9)
            while recorder.deliveries < report.expectedDeliveries, MonotonicClock.now() < drainDeadline {
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
            let last = recorder.lastDeliveryAt
            report.deliverySeconds = MonotonicClock.seconds(from: start, to: last > start ? last : MonotonicClock.now())
            try? await client.shutdown()
        }
        if plan.hold > 0 {
            try? await Task.sleep(nanoseconds: UInt64(plan.hold * 1e9))
        }
        if let cpuBefore, let cpuAfter = ProcessSample.sample() {
            report.generatorCPU = cpuAfter.cpuShare(since: cpuBefore)
        }
        recorder.fill(&report)
        for subscriber in channels { subscriber.channel.close(promise: nil) }
        try? await group.shutdownGracefully()
        return report
    }

    /// Waits until no frame has arrived for half a second (at most 60 s): the presence events
    /// that every connect causes must not be counted in the measured phase.
    private static func waitForQuiet(_ recorder: DeliveryRecorder) async {
        let deadline = MonotonicClock.now() + 60_000_000_000
        var seen = recorder.framesReceived
        var quietSince = MonotonicClock.now()
        while MonotonicClock.now() < deadline, MonotonicClock.now() - quietSince < 500_000_000 {
            try? await Task.sleep(nanoseconds: 50_000_000)
            let now = recorder.framesReceived
            if now != seen {
                seen = now
                quietSince = MonotonicClock.now()
            }
        }
    }

    /// Opens the plan's subscribers, `connectConcurrency` at a time; returns the open channels
    /// (with their subscriber index), the failures and when the last one opened.
    func openAll(with dialer: SocketDialer) async -> Opened {
        await withTaskGroup(of: Attempt.self) { group in
            var opened = Opened()
            var pending = plan.subscribers.enumerated().makeIterator()
            var inFlight = 0
            repeat {
                while inFlight < plan.connectConcurrency, let (index, subscriber) = pending.next() {
                    inFlight += 1
                    group.addTask {
                        do {
                            return .opened(OpenSubscriber(index: index, channel: try await dialer.open(path: subscriber.path, port: subscriber.port)))
                        } catch {
                            return .failed(OpenFailure(error))
                        }
                    }
                }
                guard let attempt = await group.next() else { break }
                inFlight -= 1
                switch attempt {
                case .opened(let subscriber):
                    opened.subscribers.append(subscriber)
                    opened.lastOpenAt = MonotonicClock.now()
                case .failed(let failure):
                    opened.failures.append(failure)
                }
            } while true
            return opened
        }
    }
}
