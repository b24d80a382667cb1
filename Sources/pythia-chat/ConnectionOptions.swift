import ArgumentParser
import Foundation
import PythiaClient

/// Where a client connects and as whom: shared by the chat UI, `send`, `tail` and `login`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The server's URL (http, https, ws or wss).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp(
        "An access token; else $PYTHIA_TOKEN (unlike arguments, not shown by `ps`), else the one `pythia-chat login` saved.",
        valueName: "token"))
    var token: String?

    @OptionGroup var trust: TrustOptions

    /// The token given: `--token`, else a non-empty `PYTHIA_TOKEN`.
    var givenToken: String? {
        if let token { return token }
        let fromEnvironment = ProcessInfo.processInfo.environment["PYTHIA_TOKEN"] ?? ""
        return fromEnvironment.isEmpty ? nil : fromEnvironment
    }

    /// The server and token to use: the options, completed by the saved login when one
    /// is missing (the saved token only for the saved server).
    ///
    /// - Throws: `ValidationError` saying what to give when nothing usable is known.
    func resolve(saved: SavedLogin?) throws -> (endpoint: ServerEndpoint, token: String) {
        let serverText: String
        let chosenToken: String
        switch (server, givenToken, saved) {
        case (let givenServer?, let givenToken?, _):
            (serverText, chosenToken) = (givenServer, givenToken)
        case (nil, let givenToken?, let saved?):
            (serverText, chosenToken) = (saved.server, givenToken)
        case (let givenServer?, nil, let saved?) where (try? ServerEndpoint(givenServer)) == (try? ServerEndpoint(saved.server)):
            (serverText, chosenToken) = (givenServer, saved.token)
        case (nil, nil, let saved?):
            (serverText, chosenToken) = (saved.server, saved.token)
        case (_?, nil, _):
            throw ValidationError("no token for that server: give --token (or set PYTHIA_TOKEN), or run `pythia-chat login --server URL` first")
        default:
            throw ValidationError("no server known: give --server URL (and --token), or run `pythia-chat login` first")
        }
        let trust = try self.trust.resolve()
        do {
            return (try ServerEndpoint(serverText, trust: trust), chosenToken)
        } catch {
            throw ValidationError("--server: \(error)")
        }
    }
}
