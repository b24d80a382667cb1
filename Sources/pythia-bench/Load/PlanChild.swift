import Foundation

/// A `pythia-bench` subcommand run as a child process on a JSON plan: its standard input
/// takes the parent's `go`, its standard output carries ``ChildMessage`` lines back. The
/// child is stopped, if still running, and the plan file removed when this is released.
final class PlanChild {
    private let process = Process()
    private let toChild = Pipe()
    private let fromChild = Pipe()
    private let planURL: URL

    /// Writes `plan` to a temporary file and starts `pythia-bench COMMAND --plan FILE`.
    init(command: String, plan: some Encodable) throws {
        planURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("pythia-bench-\(command)-\(UUID().uuidString).json")
        try JSONEncoder().encode(plan).write(to: planURL)
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = [command, "--plan", planURL.path]
        process.standardInput = toChild
        process.standardOutput = fromChild
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: planURL)
            throw error
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: planURL)
    }

    /// The child's messages until its standard output closes, read on a thread of their own
    /// (the read blocks); a line that is not a message is skipped.
    var messages: AsyncStream<ChildMessage> {
        let handle = fromChild.fileHandleForReading
        return AsyncStream { continuation in
            Thread.detachNewThread {
                var pending = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: 0x0A) {
                        if let message = try? JSONDecoder().decode(ChildMessage.self, from: pending[pending.startIndex..<newline]) {
                            continuation.yield(message)
                        }
                        pending.removeSubrange(pending.startIndex...newline)
                    }
                }
                continuation.finish()
            }
        }
    }

    /// Tells the child, waiting for it, to go on.
    func sendGo() {
        toChild.fileHandleForWriting.write(Data("go\n".utf8))
    }

    /// Waits for the child to exit and returns its status.
    ///
    /// Polls instead of `Process.waitUntilExit()`, which spins the calling thread's run loop
    /// and so leaves that thread an epoll, an eventfd and a timerfd for good: files that a
    /// soak would count against an in-process server.
    func exitStatus() async -> Int32 {
        while process.isRunning {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return process.terminationStatus
    }
}
