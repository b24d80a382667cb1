import ArgumentParser

struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send")
    func run() async throws { throw ValidationError("send is not built yet") }
}
