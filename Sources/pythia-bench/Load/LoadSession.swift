import Foundation

/// Runs ``LoadPlan``s, one per child process (`pythia-bench load`), so that the server under
/// test keeps its own file-descriptor budget and its CPU and memory can be read apart from the
/// load generator's. The children connect side by side, publish or hold once all are
/// connected, and their reports are added up.
struct LoadSession: Sendable {
    /// One plan per child: one unless the connections exceed what one process may open.
    let plans: [LoadPlan]
    /// The processes whose memory and CPU are reported, summed: the servers (this process
    /// when empty).
    let serverPIDs: [Int32]
    /// Seconds to wait after every subscriber is open, before publishing, for the presence
    /// chatter of the connects to die down.
    let settle: Double

    /// Server figures taken around the measured phase.
    struct Outcome: Sendable {
        var report: LoadReport
        var connected: ChildMessage
        /// Server sample before any connection.
        var idle: ProcessSample?
        /// Server sample once every connection is open and settled.
        var loaded: ProcessSample?
        /// Server sample at the end of the run.
        var finished: ProcessSample?
    }

    func run() async throws -> Outcome {
        let idle = ProcessSample.total(pids: serverPIDs)
        let children = try plans.map { try PlanChild(command: "load", plan: $0) }
        var streams = children.map { $0.messages.makeAsyncIterator() }
        var connected = ChildMessage(kind: .connected, opened: 0, failed: 0, seconds: 0)
        for index in streams.indices {
            let message = try await Self.next(from: &streams[index], child: children[index])
            guard message.kind == .connected else { throw BenchError.childFailed("it reported before connecting") }
            connected.add(message)
        }
        try await Task.sleep(nanoseconds: UInt64(settle * 1e9))
        let loaded = ProcessSample.total(pids: serverPIDs)
        for child in children { child.sendGo() }
        var report: LoadReport?
        for index in streams.indices {
            let message = try await Self.next(from: &streams[index], child: children[index])
            guard let part = message.report else { throw BenchError.childFailed("it sent \(message.kind) instead of its report") }
            _ = await children[index].exitStatus()
            if report == nil { report = part } else { report?.add(part) }
        }
        let finished = ProcessSample.total(pids: serverPIDs)
        guard let report else { throw BenchError.childFailed("no plan to run") }
        return Outcome(report: report, connected: connected, idle: idle, loaded: loaded, finished: finished)
    }

    /// The child's next `connected` or `report` message; a soak's messages (the `load` child
    /// sends none) are skipped.
    private static func next(
        from stream: inout AsyncStream<ChildMessage>.Iterator, child: PlanChild
    ) async throws -> ChildMessage {
        while let message = await stream.next() {
            switch message.kind {
            case .connected, .report: return message
            case .ready, .tick: continue
            }
        }
        let status = await child.exitStatus()
        throw BenchError.childFailed("it exited with status \(status) without a report")
    }
}
