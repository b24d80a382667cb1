import AsyncHTTPClient
import NIOCore
import NIOPosix

/// The load generator's side of a soak: opens every connection, then for the plan's duration
/// closes and reopens `churn` of them a second (round robin over the subscribers) while the
/// senders post at the plan's rate; reports its counters every report interval, and at the
/// end closes every connection the way a client does (close frame, wait for the server's).
struct SoakGenerator: Sendable {
    let plan: SoakPlan

    /// Runs the soak; `send` carries the `ready` and `tick` messages to the parent, `goAhead`
    /// returns when the parent has taken its first sample. Returns the final counters.
    func run(send: @escaping @Sendable (ChildMessage) -> Void, goAhead: @Sendable () async -> Void) async throws -> SoakTick {
        FileLimit.raiseToHard()
        let load = plan.load
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, load.threads))
        let recorder = DeliveryRecorder()
        let dialer = SocketDialer(
            group: group, host: load.host, port: load.port, recorder: recorder, greeting: load.greeting,
            sources: plan.sourceAddresses.isEmpty ? nil : try SourceAddressPool(addresses: plan.sourceAddresses))
        let connections = SoakConnections(count: load.subscribers.count)
        let client = HTTPClient(eventLoopGroup: group)

        send(ChildMessage(kind: .ready))
        await goAhead()
        let start = MonotonicClock.now()
        let end = start + UInt64(load.duration * 1e9)
        let opened = await LoadGenerator(plan: load).openAll(with: dialer)
        for subscriber in opened.subscribers { connections.opened(subscriber.channel, at: subscriber.index) }
        for failure in opened.failures { connections.failedToOpen(failure.description) }

        // Posting starts once the connections are up and stops with the churn.
        var publishing = load
        publishing.duration = MonotonicClock.seconds(from: MonotonicClock.now(), to: end)
        let publisher = Publisher(
            plan: publishing, client: client, audience: Array(repeating: 0, count: load.channels.count))
        let snapshot: @Sendable () -> SoakTick = {
            var tick = SoakTick(elapsed: MonotonicClock.seconds(from: start, to: MonotonicClock.now()))
            connections.fill(&tick)
            var received = LoadReport()
            recorder.fill(&received)
            tick.deliveries = received.deliveries
            tick.otherFrames = received.otherFrames
            tick.lost = received.disconnects
            (tick.published, tick.publishErrors, _) = publisher.counts
            if tick.firstFailure == nil { tick.firstFailure = publisher.counts.firstError }
            return tick
        }
        await withDiscardingTaskGroup { tasks in
            tasks.addTask {
                var report = LoadReport()
                await publisher.run(into: &report)
            }
            tasks.addTask { await churn(connections, dialer: dialer, until: end) }
            tasks.addTask {
                let step = UInt64(plan.reportInterval * 1e9)
                var due = start + step
                while due <= end {
                    await Self.sleep(until: due)
                    send(ChildMessage(kind: .tick, soak: snapshot()))
                    due += step
                }
            }
        }

        await withDiscardingTaskGroup { tasks in
            for channel in connections.takeAll() {
                tasks.addTask { await close(channel, connections: connections) }
            }
        }
        try? await client.shutdown()
        try? await group.shutdownGracefully()
        return snapshot()
    }

    /// Recycles one subscriber every 1/churn seconds until `end`, at most
    /// `connectConcurrency` at a time.
    private func churn(_ connections: SoakConnections, dialer: SocketDialer, until end: UInt64) async {
        let subscribers = plan.load.subscribers
        guard plan.churn > 0, !subscribers.isEmpty else { return await Self.sleep(until: end) }
        let interval = UInt64(1e9 / plan.churn)
        await withDiscardingTaskGroup { tasks in
            var due = MonotonicClock.now()
            var next = 0
            while due < end {
                await Self.sleep(until: due)
                due += interval
                guard connections.beginRecycling(limit: plan.load.connectConcurrency) else { continue }
                let index = next % subscribers.count
                next += 1
                tasks.addTask {
                    if let old = connections.take(at: index) {
                        await close(old, connections: connections)
                    }
                    do {
                        connections.opened(try await dialer.open(path: subscribers[index].path), at: index)
                    } catch {
                        connections.failedToOpen("\(error)")
                    }
                    connections.endRecycling()
                }
            }
        }
    }

    private func close(_ channel: any Channel, connections: SoakConnections) async {
        let timeout = TimeAmount.nanoseconds(Int64(plan.closeTimeout * 1e9))
        let answered = (try? await DeliveryHandler.leave(channel, timeout: timeout).get()) ?? true
        connections.closed(answered: answered)
    }

    private static func sleep(until deadline: UInt64) async {
        let now = MonotonicClock.now()
        if deadline > now { try? await Task.sleep(nanoseconds: deadline - now) }
    }
}
