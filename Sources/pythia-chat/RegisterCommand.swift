import ArgumentParser
import PythiaClient
import PythiaProtocol
import PythiaTUI

/// `pythia-chat register`: creates an account, logs in and keeps the token like `login`.
struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Create an account, log in and keep the server and token.",
        discussion: "The password is read twice from the terminal without echo."
    )

    /// The root command: `--server` given after the subcommand's name lands in its options.
    @ParentCommand var root: PythiaChat

    @Option(help: ArgumentHelp(
        "The server's URL, or a comma-separated list of several server processes (tried in order, saved as a list); defaults to the saved one, else http://localhost:8000.",
        valueName: "url"))
    var server: String?

    @OptionGroup var trust: TrustOptions

    @Option(help: ArgumentHelp("The user name to take (3–32 of a-z A-Z 0-9 _ . -); asked for when left out.", valueName: "name"))
    var username: String?

    @Option(help: ArgumentHelp("Your e-mail address; asked for when left out.", valueName: "address"))
    var email: String?

    func run() async throws {
        let servers = try AccountPrompts.servers(server, trust: trust, root: root)
        let name = try AccountPrompts.ask("username: ", given: username)
        if let problem = Validation.username(name) { throw CommandFailure(problem) }
        let address = try AccountPrompts.ask("e-mail: ", given: email)
        if let problem = Validation.email(address) { throw CommandFailure(problem) }
        guard let password = PasswordPrompt.read("choose a password (8 characters or more): ") else {
            throw CommandFailure("no password given; no account was created")
        }
        if let problem = Validation.password(password) { throw CommandFailure(problem) }
        guard PasswordPrompt.read("the same password again: ") == password else {
            throw CommandFailure("the two passwords differ; no account was created")
        }
        do {
            _ = try await AccountPrompts.onFirstAnswering(servers) { endpoint async throws(APIError) in
                try await APIClient(endpoint: endpoint, token: nil).register(username: name, email: address, password: password)
            }
        } catch {
            throw CommandFailure(error.kind == .conflict ? "\(error.detail) — pick another, or `pythia-chat login`" : "could not register at \(servers): \(error)")
        }
        try await AccountPrompts.logIn(servers: servers, username: name, password: password)
    }
}
