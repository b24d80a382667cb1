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
        let planURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("pythia-bench-plan-\(UUID().uuidString).json")
        try JSONEncoder().encode(plan).write(to: planURL)
        defer { try? FileManager.default.removeItem(at: planURL) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["load", "--plan", planURL.path]
        let toChild = Pipe()
        let fromChild = Pipe()
        process.standardInput = toChild
        process.standardOutput = fromChild
        let idle = ProcessSample.sample(pid: serverPID)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var connected: ChildMessage?
        var loaded: ProcessSample?
        for await line in Self.lines(of: fromChild.fileHandleForReading) {
            guard let message = try? JSONDecoder().decode(ChildMessage.self, from: Data(line.utf8)) else {
                continue
            }
            switch message.kind {
            case .connected:
                connected = message
                try await Task.sleep(nanoseconds: UInt64(settle * 1e9))
                loaded = ProcessSample.sample(pid: serverPID)
                toChild.fileHandleForWriting.write(Data("go\n".utf8))
            case .report:
                let finished = ProcessSample.sample(pid: serverPID)
                process.waitUntilExit()
                guard let connected, let report = message.report else {
                    throw BenchError.childFailed("it reported before connecting")
                }
                return Outcome(report: report, connected: connected, idle: idle, loaded: loaded, finished: finished)
            }
        }
        process.waitUntilExit()
        throw BenchError.childFailed("it exited with status \(process.terminationStatus) without a report")
    }

    /// The lines a pipe delivers, read on a thread of their own (the read blocks).
    private static func lines(of handle: FileHandle) -> AsyncStream<String> {
        AsyncStream { continuation in
            Thread.detachNewThread {
                var pending = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: 0x0A) {
                        continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                        pending.removeSubrange(pending.startIndex...newline)
                    }
                }
                continuation.finish()
            }
        }
    }
}
