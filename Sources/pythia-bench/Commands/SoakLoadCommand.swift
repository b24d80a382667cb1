import ArgumentParser
import Foundation

/// The load generator's side of a soak, started by `soak` as a child process.
struct SoakLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak-load",
        abstract: "Run a soak plan (started by `soak`; not for direct use).",
        shouldDisplay: false
    )

    @Option(help: "Path of the JSON soak plan.")
    var plan: String

    func run() async throws {
        let plan = try JSONDecoder().decode(SoakPlan.self, from: Data(contentsOf: URL(fileURLWithPath: plan)))
        let final = try await SoakGenerator(plan: plan).run(send: LoadCommand.send, goAhead: LoadCommand.waitForGo)
        LoadCommand.send(ChildMessage(kind: .report, soak: final))
    }
}
