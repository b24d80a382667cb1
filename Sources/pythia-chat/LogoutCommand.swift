import ArgumentParser
import PythiaClient
import PythiaProtocol

/// `pythia-chat logout`: ends the saved login's token on its server (with `--all`, every
/// token of the account) and forgets the saved login.
struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "End the saved login's session on its server and forget it.",
        discussion: """
            With --all, every session of the account ends, on every device: their tokens stop \
            working and their open connections are closed. When the server cannot be reached, \
            the saved login is only removed from this computer, and the token stays valid on \
            the server until it expires.
            """
    )

    /// The root command: `--ca-file` given before the subcommand's name lands in its options.
    @ParentCommand var root: PythiaChat

    @OptionGroup var trust: TrustOptions

    @Flag(help: "End every session of the account, on every device, not only this one.")
    var all = false

    func run() async throws {
        let saved: SavedLogin
        do {
            guard let login = try SavedLogin.load() else {
                print("not logged in: there is no saved login to end")
                return
            }
            saved = login
        } catch {
            throw CommandFailure("\(error)")
        }
        let servers: ServerList
        do {
            servers = try ServerList(parsing: [saved.server], trust: trust.resolve(fallback: root.connection.trust))
        } catch {
            throw CommandFailure("\(error)")
        }
        let ended = all ? "every session of \(saved.username)" : "the session of \(saved.username)"
        let outcome: String
        do {
            let server = try await AccountPrompts.onFirstAnswering(servers) { endpoint async throws(APIError) in
                try await APIClient(endpoint: endpoint, token: saved.token).logout(everyToken: all)
            }.server
            outcome = "logged out: \(ended) on \(server) ended; the saved login was removed"
        } catch where error.kind == .unauthorized {
            outcome = "the server had already ended this token; the saved login was removed"
        } catch where error.kind == .transport {
            outcome = "cannot reach \(servers): the saved login was removed from this computer only; "
                + "the token stays valid on the server until it expires"
                + (all ? ", and the other sessions were not ended" : "")
        } catch {
            throw CommandFailure("could not log out at \(servers): \(error); the saved login was kept, try again")
        }
        do {
            try SavedLogin.remove()
        } catch {
            throw CommandFailure("the saved login could not be removed (\(error)); delete it by hand")
        }
        print(TerminalText.sanitized(outcome))
    }
}
