import ArgumentParser

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "login")
    func run() async throws { throw ValidationError("login is not built yet") }
}
