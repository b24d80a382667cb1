import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTUI

/// What `login` and `register` share: the server to use, prompts, logging in and saving.
enum AccountPrompts {
    /// The server named, else the saved one, else the local default; verified with `trust`
    /// (else the root command's) when it is https.
    static func endpoint(_ server: String?, trust: TrustOptions, root: PythiaChat) throws -> ServerEndpoint {
        let text = server ?? root.connection.server ?? (try? SavedLogin.load())??.server ?? ConnectionResolver.defaultServer
        do {
            return try ServerEndpoint(text, trust: trust.resolve(fallback: root.connection.trust))
        } catch {
            throw CommandFailure("\(error)")
        }
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

    /// Logs in and saves the server and token (0600) for later runs; nil when done, the
    /// sentence to say when the server refused the name or password.
    static func logIn(endpoint: ServerEndpoint, username: String, password: String) async throws -> String? {
        let response: TokenResponse
        do {
            response = try await APIClient(endpoint: endpoint, token: nil).login(username: username, password: password)
        } catch where error.kind == .unauthorized {
            return "wrong user name or password"
        } catch {
            throw CommandFailure("could not log in at \(endpoint): \(error)")
        }
        let saved = SavedLogin(server: endpoint.description, token: response.accessToken, username: response.user.username)
        do {
            try saved.save()
        } catch {
            throw CommandFailure("logged in, but the token could not be saved: \(error)")
        }
        print(TerminalText.sanitized("logged in as \(response.user.username) on \(endpoint); `pythia-chat` now opens this account"))
        return nil
    }
}
