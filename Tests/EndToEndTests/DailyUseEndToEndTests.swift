import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTestSupport
import Testing

/// The chat UI for daily use — notifications, search, the read marker, /retry — the real
/// binary in tmux against a real server.
@Suite(.serialized, .enabled(if: Tmux.isInstalled, "tmux is not installed: the terminal UI end-to-end test needs it (.ci/run installs it)"))
struct DailyUseEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func aDirectMessageSendsTheNotificationEscapeThroughTmux() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let environment = ["PYTHIA_JWT_SECRET": String(repeating: "e2e-secret-", count: 4), "XDG_DATA_HOME": directory, "XDG_STATE_HOME": directory + "/state", "XDG_CONFIG_HOME": directory + "/config"]
        let server = try await ServerProcess(port: 0, database: directory + "/chat.sqlite", environment: environment)
        defer { server.kill() }
        let anonymous = APIClient(endpoint: try ServerEndpoint(server.baseURL), token: nil)
        var tokens: [String: String] = [:]
        for name in ["erin", "frank"] {
            _ = try await anonymous.register(username: name, email: "\(name)@example.com", password: "\(name)-password")
            tokens[name] = try await anonymous.login(username: name, password: "\(name)-password").accessToken
        }
        _ = try await APIClient(endpoint: try ServerEndpoint(server.baseURL), token: tokens["erin"]).createChannel(name: "lobby", description: "")

        let command = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let erin = Tmux(), frank = Tmux()
        defer {
            erin.killServer()
            frank.killServer()
        }
        // Erin's terminal is unknown to the table: --notify asks for OSC 777 anyway; tmux
        // sets $TMUX in the pane, so it comes wrapped for passthrough.
        try erin.start(
            "env TERM=tmux-256color \(command) \(ServerProcess.binary.path) --server \(server.baseURL) --token \(tokens["erin"] ?? "") --notify",
            columns: 100, rows: 30)
        let raw = directory + "/erin-output"
        try erin.recordOutput(to: raw)
        try await erin.waitForScreen("erin's UI") { $0.contains("#lobby") && $0.contains("connected") }
        try frank.start(
            "env TERM=tmux-256color \(command) \(ServerProcess.binary.path) --server \(server.baseURL) --token \(tokens["frank"] ?? "")",
            columns: 100, rows: 30)
        try await frank.waitForScreen("frank's UI") { $0.contains("connected") }

        try frank.type("/msg @erin lunch at noon?")
        try frank.press("Enter")
        try await erin.waitForScreen("the conversation in erin's Direct section") { $0.contains("@frank") }

        let expected = "\u{1B}Ptmux;\u{1B}\u{1B}]777;notify;@frank;lunch at noon?\u{1B}\u{1B}\\\u{1B}\\"
        let deadline = Date().addingTimeInterval(10)
        var output = ""
        while Date() < deadline {
            output = (try? String(contentsOfFile: raw, encoding: .utf8)) ?? ""
            if output.contains(expected) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(output.contains(expected), "erin's raw output: \(output.debugDescription.suffix(600))")
        // The window title counts it; tmux keeps it as the pane's title.
        #expect(output.contains("\u{1B}]2;(1) pythia-chat\u{1B}\\"))
        #expect(try erin.display("#{pane_title}") == "(1) pythia-chat")
    }

    @Test(.timeLimit(.minutes(1)))
    func theChatSaysAtOnceWhenTheURLIsNotAPythiaServer() async throws {
        let elsewhere = try CannedHTTPServer(status: "404 Not Found", body: #"{"detail":"Not Found"}"#)
        defer { elsewhere.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-e2e-\(UUID().uuidString)").path
        let tmux = Tmux()
        defer { tmux.killServer() }
        try tmux.start(
            "env TERM=tmux-256color XDG_DATA_HOME=\(directory) XDG_STATE_HOME=\(directory) XDG_CONFIG_HOME=\(directory) \(ServerProcess.binary.path) --server http://127.0.0.1:\(elsewhere.port) --token t",
            columns: 120, rows: 30)
        try await tmux.waitForScreen("the failure in the status bar", seconds: 15) { $0.contains("no Pythia server at http://127.0.0.1:\(elsewhere.port)") }
    }
}
