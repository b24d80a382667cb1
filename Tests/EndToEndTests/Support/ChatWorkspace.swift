import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTestSupport

/// A real server on a database of its own, accounts on it, and the command line that runs
/// the chat UI as one of them with data, state and config kept in the workspace.
final class ChatWorkspace {
    let directory: String
    let environment: [String: String]
    let server: ServeProcess
    private(set) var tokens: [String: String] = [:]

    /// Starts the server on a free port.
    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        environment = [
            "PYTHIA_JWT_SECRET": String(repeating: "e2e-secret-", count: 4), "XDG_DATA_HOME": directory,
            "XDG_STATE_HOME": directory + "/state", "XDG_CONFIG_HOME": directory + "/config",
        ]
        server = try await ServeProcess.startForEndToEnd(port: 0, database: directory + "/chat.sqlite", environment: environment)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Kills the server, as a crash would.
    func killServer() { server.kill() }

    /// Registers `name` (password `NAME-password`) and returns a client logged in as them.
    @discardableResult
    func register(_ name: String) async throws -> APIClient {
        let endpoint = try ServerEndpoint(server.baseURL)
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        _ = try await anonymous.register(username: name, email: "\(name)@example.com", password: "\(name)-password")
        let token = try await anonymous.login(username: name, password: "\(name)-password").accessToken
        tokens[name] = token
        return APIClient(endpoint: endpoint, token: token)
    }

    /// The shell command that runs the chat UI as `name`, with `arguments` added.
    func chatCommand(as name: String, _ arguments: String = "") -> String {
        let variables = environment.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        return "env TERM=tmux-256color \(variables) \(ServeProcess.binary.path) --server \(server.baseURL) --token \(tokens[name] ?? "") \(arguments)"
    }
}
