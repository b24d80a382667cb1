import ArgumentParser
import PythiaClient
import PythiaProtocol
import PythiaTUI

/// `pythia-chat register`: creates an account, logs in and keeps the token like `login`.
struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Create an account, log in and keep the server and token.",
        discussion: "The password is read twice from the terminal without echo, and asked again when too short or the two differ (3 tries)."
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
        var chosen = ""
        try await AccountPrompts.askPassword("choose a password (8 characters or more): ", giveUp: "no account was created") { password in
            if let problem = Validation.password(password) { return problem }
            guard PasswordPrompt.read("the same password again: ") == password else { return "the two passwords differ" }
            chosen = password
            return nil
        }
        do {
            _ = try await AccountPrompts.onFirstAnswering(servers) { endpoint async throws(APIError) in
                try await APIClient(endpoint: endpoint, token: nil).register(username: name, email: address, password: chosen)
            }
        } catch {
            throw CommandFailure(error.kind == .conflict ? "\(error.detail) — pick another, or `pythia-chat login`" : "could not register at \(servers): \(error)")
        }
        if let refusal = try await AccountPrompts.logIn(servers: servers, username: name, password: chosen) {
            throw CommandFailure("registered, but logging in failed: \(refusal); try `pythia-chat login`")
        }
    }
}
