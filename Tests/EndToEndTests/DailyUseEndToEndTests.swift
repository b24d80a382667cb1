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
        let workspace = try await ChatWorkspace()
        defer { workspace.killServer() }
        try await workspace.register("erin").createChannel(name: "lobby", description: "")
        try await workspace.register("frank")
        let erin = Tmux(), frank = Tmux()
        defer {
            erin.killServer()
            frank.killServer()
        }
        // Erin's terminal is unknown to the table: --notify asks for OSC 777 anyway; tmux
        // sets $TMUX in the pane, so it comes wrapped for passthrough.
        try erin.start(workspace.chatCommand(as: "erin", "--notify"), columns: 100, rows: 30)
        let raw = workspace.directory + "/erin-output"
        try erin.recordOutput(to: raw)
        try await erin.waitForScreen("erin's UI") { $0.contains("#lobby") && $0.contains("connected") }
        try frank.start(workspace.chatCommand(as: "frank"), columns: 100, rows: 30)
        try await frank.waitForScreen("frank's UI") { $0.contains("connected") }

        try frank.type("/msg @erin lunch at noon?")
        try frank.press("Enter")
        try await erin.waitForScreen("the conversation in erin's Direct section") { $0.contains("@frank") }

        let expected = "\u{1B}Ptmux;\u{1B}\u{1B}]777;notify;@frank;lunch at noon?\u{1B}\u{1B}\\\u{1B}\\"
        var output = try await recorded(raw, until: expected)
        #expect(output.contains(expected), "erin's raw output: \(output.debugDescription.suffix(600))")
        // The window title counts it; tmux keeps it as the pane's title.
        #expect(output.contains("\u{1B}]2;(1) pythia-chat\u{1B}\\"))
        #expect(try erin.display("#{pane_title}") == "(1) pythia-chat")

        // At exit focus reports stop and the title is given back.
        try erin.type("/quit")
        try erin.press("Enter")
        let restore = "\u{1B}[?1004l\u{1B}]2;\u{1B}\\\u{1B}[23;0t"
        output = try await recorded(raw, until: restore)
        #expect(output.contains(restore), "erin's raw output: \(output.debugDescription.suffix(300))")
    }

    /// What the pane's program wrote (`Tmux.recordOutput`), once it holds `text` or after 10 s.
    private func recorded(_ path: String, until text: String) async throws -> String {
        let deadline = Date().addingTimeInterval(10)
        var output = ""
        while Date() < deadline {
            output = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if output.contains(text) { break }
            try await Task.sleep(for: .milliseconds(200))  // polls a file a real process writes
        }
        return output
    }

    @Test(.timeLimit(.minutes(2)))
    func searchFindsAMessageOutOfViewAndJumpsToIt() async throws {
        let workspace = try await ChatWorkspace()
        defer { workspace.killServer() }
        let grace = try await workspace.register("grace")
        let henry = try await workspace.register("henry")
        let general = try await grace.createChannel(name: "general", description: "")
        let random = try await grace.createChannel(name: "random", description: "")
        _ = try await henry.joinChannel(id: general.id)
        _ = try await henry.joinChannel(id: random.id)
        _ = try await henry.postMessage(channelId: random.id, content: "the needle in the haystack", clientId: nil)
        // Forty lines after it, in a few messages (the server limits how fast one user posts).
        for number in 1...5 {
            let lines = (1...8).map { "filler line \((number - 1) * 8 + $0)" }.joined(separator: "\n")
            _ = try await henry.postMessage(channelId: random.id, content: lines, clientId: nil)
        }

        let tmux = Tmux()
        defer { tmux.killServer() }
        try tmux.start(workspace.chatCommand(as: "grace"), columns: 100, rows: 30)
        try await tmux.waitForScreen("grace's UI in #general") { $0.contains("#general>") && $0.contains("connected") }
        try tmux.type("/search haystack")
        try tmux.press("Enter")
        try await tmux.waitForScreen("the hit in the overlay") { $0.contains("1 hit") }
        try tmux.press("Enter")
        let screen = try await tmux.waitForScreen("#random scrolled to the message") { $0.contains("#random>") && $0.contains("henry the needle in the haystack") }
        #expect(!screen.contains("filler line 40"), "scrolled up to the hit, away from the newest: \(screen)")
    }

    @Test(.timeLimit(.minutes(2)))
    func theReadMarkerIsWhereItWasLeftAfterARestart() async throws {
        let workspace = try await ChatWorkspace()
        defer { workspace.killServer() }
        let ivy = try await workspace.register("ivy")
        let jack = try await workspace.register("jack")
        let general = try await ivy.createChannel(name: "general", description: "")
        _ = try await jack.joinChannel(id: general.id)
        _ = try await jack.postMessage(channelId: general.id, content: "seen before quitting", clientId: nil)

        let first = Tmux()
        defer { first.killServer() }
        try first.start(workspace.chatCommand(as: "ivy"), columns: 100, rows: 30)
        try await first.waitForScreen("the message read") { $0.contains("jack seen before quitting") && $0.contains("connected") }
        try first.type("/quit")
        try first.press("Enter")
        try await first.waitForScreen("the end of the program") { !$0.contains("#general>") }

        _ = try await jack.postMessage(channelId: general.id, content: "arrived while away", clientId: nil)
        let second = Tmux()
        defer { second.killServer() }
        try second.start(workspace.chatCommand(as: "ivy"), columns: 100, rows: 30)
        let screen = try await second.waitForScreen("the marker") { $0.contains("arrived while away") && $0.contains("── new ──") }
        let lines = screen.split(separator: "\n").map(String.init)
        let seen = lines.firstIndex { $0.contains("seen before quitting") }, marker = lines.firstIndex { $0.contains("── new ──") }
        let away = lines.firstIndex { $0.contains("arrived while away") }
        if let seen, let marker, let away {
            #expect(seen < marker && marker < away, "\(screen)")
        } else {
            Issue.record("a line is missing: \(screen)")
        }
    }

    /// An outage alone never fails a message: it waits in the outbox and goes when the
    /// server is back. A refusal does: here the server comes back with a certificate from
    /// an authority the client does not trust, the post is refused, and once the right
    /// certificate is back, `/retry` sends it, once.
    @Test(.timeLimit(.minutes(3)))
    func retrySendsARefusedMessageOnceTheServerIsBack() async throws {
        let tls = try ServeTLSFiles(named: "pythia-e2e-retry")
        defer { tls.remove() }
        let directory = tls.directory.path
        let environment = [
            "PYTHIA_JWT_SECRET": String(repeating: "e2e-secret-", count: 4), "XDG_DATA_HOME": directory,
            "XDG_STATE_HOME": directory + "/state", "XDG_CONFIG_HOME": directory + "/config",
        ]
        let database = directory + "/chat.sqlite"
        var server = try await ServeProcess.startForEndToEnd(
            port: try RestartablePort.reserve(), database: database, environment: environment, arguments: tls.serverArguments)
        let port = server.port
        defer { server.kill() }
        let endpoint = try ServerEndpoint(server.baseURL, trust: ServerTrust(caFile: tls.caFile))
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        _ = try await anonymous.register(username: "kate", email: "kate@example.com", password: "kate-password")
        let token = try await anonymous.login(username: "kate", password: "kate-password").accessToken
        let kate = APIClient(endpoint: endpoint, token: token)
        let general = try await kate.createChannel(name: "general")

        let tmux = Tmux()
        defer { tmux.killServer() }
        let variables = environment.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        try tmux.start(
            "env TERM=tmux-256color \(variables) \(ServeProcess.binary.path) --server \(server.baseURL) --token \(token) --ca-file \(tls.caFile) --no-bell",
            columns: 120, rows: 30)
        try await tmux.waitForScreen("kate's UI in #general") { $0.contains("#general>") && $0.contains("connected") }

        // The server comes back on its port with someone else's certificate.
        server.kill()
        _ = await server.waitUntilExit()
        server = try await ServeProcess.startForEndToEnd(
            port: port, database: database, environment: environment, arguments: tls.untrustedServerArguments)
        try tmux.type("/reconnect")
        try tmux.press("Enter")
        try await tmux.waitForScreen("the certificate refused") { $0.contains("is not signed") }
        try tmux.type("sent after the renewal")
        try tmux.press("Enter")
        try await tmux.waitForScreen("the refused line") { $0.contains("sent after the renewal (not sent:") && $0.contains("/retry or /discard)") }

        // The right certificate again: the line waits for the user, who sends it.
        server.kill()
        _ = await server.waitUntilExit()
        server = try await ServeProcess.startForEndToEnd(port: port, database: database, environment: environment, arguments: tls.serverArguments)
        try tmux.type("/reconnect")
        try tmux.press("Enter")
        try await tmux.waitForScreen("connected again") { screen in
            screen.split(separator: "\n").contains { $0.contains("connected") && !$0.contains("reconnect") && !$0.contains("disconnected") }
        }
        #expect(try await kate.messages(channelId: general.id).isEmpty, "nothing is sent before /retry")
        try tmux.type("/retry")
        try tmux.press("Enter")
        // Not "(sending…)" either: the retried line shows that until the server has stored it.
        try await tmux.waitForScreen("the line delivered") { screen in
            screen.contains("kate sent after the renewal") && !screen.contains("(not sent:") && !screen.contains("(sending")
        }
        let stored = try await kate.messages(channelId: general.id).map(\.content)
        #expect(stored == ["sent after the renewal"])
    }

    @Test(.timeLimit(.minutes(1)))
    func theChatSaysAtOnceWhenTheURLIsNotAPythiaServer() async throws {
        let elsewhere = try CannedHTTPServer(status: "404 Not Found", body: #"{"detail":"Not Found"}"#)
        defer { elsewhere.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = Tmux()
        defer { tmux.killServer() }
        try tmux.start(
            "env TERM=tmux-256color XDG_DATA_HOME=\(directory) XDG_STATE_HOME=\(directory) XDG_CONFIG_HOME=\(directory) \(ServeProcess.binary.path) --server http://127.0.0.1:\(elsewhere.port) --token t",
            columns: 120, rows: 30)
        try await tmux.waitForScreen("the failure in the status bar", seconds: 15) { $0.contains("no Pythia server at http://127.0.0.1:\(elsewhere.port)") }
    }
}
