import ArgumentParser

struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail")
    func run() async throws { throw ValidationError("tail is not built yet") }
}
