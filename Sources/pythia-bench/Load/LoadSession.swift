import Foundation

/// Runs a ``LoadPlan`` in a child process (`pythia-bench load`) so that the server under test
/// keeps its own file-descriptor budget and its CPU and memory can be read apart from the
/// load generator's.
struct LoadSession: Sendable {
    let plan: LoadPlan
    /// The process whose memory and CPU are reported: the server (this process when nil).
    let serverPID: Int32?
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
        let idle = ProcessSample.sample(pid: serverPID)
        let child = try PlanChild(command: "load", plan: plan)
        var connected: ChildMessage?
        var loaded: ProcessSample?
        for await message in child.messages {
            switch message.kind {
            case .connected:
                connected = message
                try await Task.sleep(nanoseconds: UInt64(settle * 1e9))
                loaded = ProcessSample.sample(pid: serverPID)
                child.sendGo()
            case .report:
                let finished = ProcessSample.sample(pid: serverPID)
                _ = await child.exitStatus()
                guard let connected, let report = message.report else {
                    throw BenchError.childFailed("it reported before connecting")
                }
                return Outcome(report: report, connected: connected, idle: idle, loaded: loaded, finished: finished)
            case .ready, .tick:
                // A soak's messages; the `load` child sends none.
                continue
            }
        }
        let status = await child.exitStatus()
        throw BenchError.childFailed("it exited with status \(status) without a report")
    }
}
