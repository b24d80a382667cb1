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

    /// Logs in and saves the server and token (0600) for later runs.
    static func logIn(endpoint: ServerEndpoint, username: String, password: String) async throws {
        let response: TokenResponse
        do {
            response = try await APIClient(endpoint: endpoint, token: nil).login(username: username, password: password)
        } catch {
            throw CommandFailure(error.kind == .unauthorized ? "wrong user name or password; nothing was saved" : "could not log in at \(endpoint): \(error)")
        }
        let saved = SavedLogin(server: endpoint.description, token: response.accessToken, username: response.user.username)
        do {
            try saved.save()
        } catch {
            throw CommandFailure("logged in, but the token could not be saved: \(error)")
        }
        print(TerminalText.sanitized("logged in as \(response.user.username) on \(endpoint); `pythia-chat` now opens this account"))
    }
}
