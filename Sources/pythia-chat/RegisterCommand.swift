import ArgumentParser

struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register")
    func run() async throws { throw ValidationError("register is not built yet") }
}
