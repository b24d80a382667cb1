import ArgumentParser
import PythiaClient
import PythiaTUI

/// `pythia-chat login`: trades a user name and password for a token and keeps both the
/// server and the token (mode 0600) for later runs.
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in and keep the server and token for later runs.",
        discussion: "The password is read from the terminal without echo, and asked again after a refusal (3 tries)."
    )

    /// The root command: `--server` given after the subcommand's name lands in its options.
    @ParentCommand var root: PythiaChat

    @Option(help: ArgumentHelp(
        "The server's URL, or a comma-separated list of several server processes (tried in order, saved as a list); defaults to the saved one, else http://localhost:8000.",
        valueName: "url"))
    var server: String?

    @OptionGroup var trust: TrustOptions

    @Option(help: ArgumentHelp("Your user name (or e-mail); asked for when left out.", valueName: "name"))
    var username: String?

    func run() async throws {
        let servers = try AccountPrompts.servers(server, trust: trust, root: root)
        let name = try AccountPrompts.ask("username: ", given: username)
        try await AccountPrompts.askPassword("password for \(name) on \(servers): ", giveUp: "nothing was saved") { password in
            try await AccountPrompts.logIn(servers: servers, username: name, password: password)
        }
    }
}
