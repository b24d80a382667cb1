import Foundation

/// Runs a ``SoakPlan`` in a child process (`pythia-bench soak-load`) and samples the server's
/// memory and open files: before the first connection, at every tick, and after the last
/// connection has closed until its open files are back where they started.
struct SoakSession: Sendable {
    let plan: SoakPlan
    /// The server's process; nil when it runs inside this one.
    let serverPID: Int32?
    /// Longest wait, once every connection has closed, for the server's open files to return.
    let settle: Double

    /// What the session saw.
    struct Outcome: Sendable {
        /// The server before the first connection.
        var start: SoakSample
        var samples: [SoakSample]
        /// The generator's counters once every connection had closed.
        var final: SoakTick
        /// The server's open files at the end of the settle wait.
        var endOpenFiles: Int?
        /// Seconds from the generator's end to the open files' return (nil: they did not).
        var secondsToReturn: Double?
        /// The server's open files by kind at the start and at the end, to tell what stayed.
        var startFileKinds: [String: Int]
        var endFileKinds: [String: Int]
    }

    /// Runs the soak; `onSample` sees each tick's sample as it arrives.
    func run(onSample: (SoakSample) -> Void) async throws -> Outcome {
        let child = try PlanChild(command: "soak-load", plan: plan)
        var start: SoakSample?
        var startFileKinds: [String: Int] = [:]
        var samples: [SoakSample] = []
        for await message in child.messages {
            switch message.kind {
            case .ready:
                // This process's first timer makes libdispatch open a timerfd for good: let
                // that happen before the first sample, so that an in-process server's count
                // holds only the server's files. The sample is taken with the child running
                // and its pipes open, as at the end.
                try? await Task.sleep(nanoseconds: 100_000_000)
                start = sample(SoakTick())
                startFileKinds = ProcessSample.openFileKinds(pid: serverPID) ?? [:]
                child.sendGo()
            case .tick:
                guard let tick = message.soak else { continue }
                let sample = sample(tick)
                samples.append(sample)
                onSample(sample)
            case .report:
                guard let start, let final = message.soak else {
                    throw BenchError.childFailed("it reported before it was ready")
                }
                _ = await child.exitStatus()
                let (endOpenFiles, secondsToReturn) = await waitForOpenFiles(toReturnTo: start.serverOpenFiles)
                return Outcome(
                    start: start, samples: samples, final: final,
                    endOpenFiles: endOpenFiles, secondsToReturn: secondsToReturn,
                    startFileKinds: startFileKinds, endFileKinds: ProcessSample.openFileKinds(pid: serverPID) ?? [:])
            case .connected:
                continue
            }
        }
        let status = await child.exitStatus()
        throw BenchError.childFailed("it exited with status \(status) without a report")
    }

    private func sample(_ tick: SoakTick) -> SoakSample {
        SoakSample(
            tick: tick, serverRSS: ProcessSample.sample(pid: serverPID)?.residentBytes,
            serverOpenFiles: ProcessSample.openFiles(pid: serverPID))
    }

    /// Polls the server's open files until they are down to `target`, for at most ``settle``
    /// seconds: the server closes its side of each socket after answering its close frame.
    private func waitForOpenFiles(toReturnTo target: Int?) async -> (Int?, Double?) {
        let start = MonotonicClock.now()
        let deadline = start + UInt64(settle * 1e9)
        var count = ProcessSample.openFiles(pid: serverPID)
        while let now = count, let target, now > target, MonotonicClock.now() < deadline {
            try? await Task.sleep(nanoseconds: 200_000_000)
            count = ProcessSample.openFiles(pid: serverPID)
        }
        guard let count, let target, count <= target else { return (count, nil) }
        return (count, MonotonicClock.seconds(from: start, to: MonotonicClock.now()))
    }
}
