import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTUI

/// What `login` and `register` share: the server to use, prompts, logging in and saving.
enum AccountPrompts {
    /// The servers named (one, or a comma-separated list), else the root command's, else
    /// the saved ones, else the local default; verified with `trust` (else the root
    /// command's) when they are https.
    static func servers(_ server: String?, trust: TrustOptions, root: PythiaChat) throws -> ServerList {
        let texts = server.map { [$0] } ?? (root.connection.server.isEmpty ? nil : root.connection.server)
            ?? [(try? SavedLogin.load())??.server ?? ConnectionResolver.defaultServer]
        do {
            return try ServerList(parsing: texts, trust: trust.resolve(fallback: root.connection.trust))
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// `body` on each of `servers` in turn until one answers: a failure that says the
    /// server is down (network, 5xx, 429) moves on to the next; any other failure, or the
    /// last server's, is thrown. Returns the answer and the server that gave it.
    static func onFirstAnswering<T: Sendable>(
        _ servers: ServerList, _ body: (ServerEndpoint) async throws(APIError) -> T
    ) async throws(APIError) -> (answer: T, server: ServerEndpoint) {
        for endpoint in servers.endpoints.dropLast() {
            do {
                return (try await body(endpoint), endpoint)
            } catch where error.isTransient {
                continue
            }
        }
        let last = servers.endpoints[servers.endpoints.count - 1]
        return (try await body(last), last)
    }

    /// The value given on the command line, else one typed at a prompt.
    static func ask(_ prompt: String, given: String?) throws -> String {
        if let given, !given.trimmingWhitespace.isEmpty { return given.trimmingWhitespace }
        print(prompt, terminator: "")
        guard let line = readLine()?.trimmingWhitespace, !line.isEmpty else {
            throw CommandFailure("nothing entered for \(prompt.dropLast(2)); nothing was saved")
        }
        return line
    }

    /// How many passwords `login` and `register` take before giving up.
    static let passwordTries = 3

    /// Asks for a password until `accept` takes one (it returns nil) or `passwordTries` are
    /// used up; each refusal (`accept`'s sentence) is said on standard error.
    static func askPassword(
        _ prompt: String, giveUp: String, accept: (String) async throws -> String?
    ) async throws {
        var refusal = ""
        for attempt in 1...passwordTries {
            guard let password = PasswordPrompt.read(prompt), !password.isEmpty else {
                throw CommandFailure("no password given; \(giveUp)")
            }
            guard let problem = try await accept(password) else { return }
            refusal = problem
            if attempt < passwordTries { FileHandle.standardError.write(Data("\(problem); try again\n".utf8)) }
        }
        throw CommandFailure("\(refusal) (\(passwordTries) tries); \(giveUp)")
    }

    /// Logs in at the first of `servers` that answers and saves the servers (the
    /// comma-separated list, when several) and the token (0600) for later runs; nil when
    /// done, the sentence to say when the server refused the name or password.
    static func logIn(servers: ServerList, username: String, password: String) async throws -> String? {
        let response: TokenResponse
        do {
            response = try await onFirstAnswering(servers) { endpoint async throws(APIError) in
                try await APIClient(endpoint: endpoint, token: nil).login(username: username, password: password)
            }.answer
        } catch where error.kind == .unauthorized {
            return "wrong user name or password"
        } catch {
            throw CommandFailure("could not log in at \(servers): \(error)")
        }
        let saved = SavedLogin(server: servers.description, token: response.accessToken, username: response.user.username)
        do {
            try saved.save()
        } catch {
            throw CommandFailure("logged in, but the token could not be saved: \(error)")
        }
        print(TerminalText.sanitized("logged in as \(response.user.username) on \(servers); `pythia-chat` now opens this account"))
        return nil
    }
}
