import ArgumentParser
import Foundation

/// The load generator's side of a run, started by the other commands as a child process.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Run a load plan (started by the other commands; not for direct use).",
        shouldDisplay: false
    )

    @Option(help: "Path of the JSON load plan.")
    var plan: String

    func run() async throws {
        let plan = try JSONDecoder().decode(LoadPlan.self, from: Data(contentsOf: URL(fileURLWithPath: plan)))
        let report = try await LoadGenerator(plan: plan).run(
            progress: { progress in
                switch progress {
                case .connected(let opened, let failed, let seconds, let firstFailure):
                    Self.send(ChildMessage(kind: .connected, opened: opened, failed: failed, seconds: seconds, firstFailure: firstFailure))
                }
            },
            goAhead: Self.waitForGo
        )
        Self.send(ChildMessage(kind: .report, report: report))
    }

    /// Returns when the parent writes a line (`go`) to the standard input.
    static func waitForGo() async {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                _ = readLine()
                continuation.resume()
            }
        }
    }

    /// Writes `message` as one line for the parent.
    static func send(_ message: ChildMessage) {
        guard let line = try? JSONEncoder().encode(message) else { return }
        FileHandle.standardOutput.write(line + Data("\n".utf8))
    }
}
