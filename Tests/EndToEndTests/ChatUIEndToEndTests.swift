import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTestSupport
import Testing

/// The real `pythia-chat` binary in tmux against a real `pythia-chat --serve`, driven by
/// keys as a user would, checked on screen and through the server's REST API.
@Suite(.serialized, .enabled(if: Tmux.isInstalled, "tmux is not installed: the terminal UI end-to-end test needs it (.ci/run installs it)"))
struct ChatUIEndToEndTests {
    @Test(.timeLimit(.minutes(5)))
    func aUserChatsThroughAServerRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/chat.sqlite"
        let environment = ["PYTHIA_JWT_SECRET": String(repeating: "e2e-secret-", count: 4), "XDG_DATA_HOME": directory, "XDG_CONFIG_HOME": directory + "/config"]
        var server = try await ServeProcess.startForEndToEnd(port: try RestartablePort.reserve(), database: database, environment: environment)
        let port = server.port
        defer { server.kill() }

        // Two users, a channel with some history.
        let endpoint = try ServerEndpoint(server.baseURL)
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        _ = try await anonymous.register(username: "carol", email: "carol@example.com", password: "carol-password")
        _ = try await anonymous.register(username: "bob", email: "bob@example.com", password: "bob-password")
        let carolToken = try await anonymous.login(username: "carol", password: "carol-password").accessToken
        let bobToken = try await anonymous.login(username: "bob", password: "bob-password").accessToken
        let carol = APIClient(endpoint: endpoint, token: carolToken)
        let bob = APIClient(endpoint: endpoint, token: bobToken)
        let general = try await carol.createChannel(name: "general", description: "Company-wide")
        _ = try await bob.joinChannel(id: general.id)
        _ = try await bob.postMessage(channelId: general.id, content: "history line from bob", clientId: nil)

        // The UI, at a fixed size, with its own config and data directories. Its exit status
        // goes to a file: tmux's own record of it is not reliable here.
        let statusFile = directory + "/exit-status"
        let tmux = Tmux()
        defer { tmux.killServer() }
        let command = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        try tmux.start(
            "env TERM=tmux-256color \(command) \(ServeProcess.binary.path) --server \(server.baseURL) --token \(carolToken) --no-bell; echo $? > \(statusFile)",
            columns: 100, rows: 30)

        // History shows, and the status bar says connected.
        try await tmux.waitForScreen("history and the connected state") { $0.contains("history line from bob") && $0.contains("connected") }

        // A typed line reaches the server.
        try tmux.type("hello from the terminal 日本 👍")
        try tmux.press("Enter")
        try await waitFor("the typed line on the server") {
            try await carol.messages(channelId: general.id).contains { $0.content == "hello from the terminal 日本 👍" && $0.user.username == "carol" }
        }
        try await tmux.waitForScreen("the sent line on screen") { $0.contains("carol hello from the terminal 日本 👍") }

        // Garbage into the prompt: an inline error, nothing sent.
        try tmux.type("/frobnicate \u{7F}x")
        try tmux.press("Enter")
        try await tmux.waitForScreen("the inline error") { $0.contains("unknown command /frobnicate") }
        try tmux.press("C-u")

        // A live message from a second user appears.
        _ = try await bob.postMessage(channelId: general.id, content: "live message from bob", clientId: nil)
        try await tmux.waitForScreen("bob's live message") { $0.contains("bob live message from bob") }

        // Bob types: the typing line says so.
        let bobTyping = try await TypingClient.start(endpoint: endpoint, token: bobToken, channelId: general.id)
        try await tmux.waitForScreen("the typing line") { $0.contains("bob is typing…") }
        await bobTyping.stop()

        // The server dies: the UI says so; a line typed meanwhile waits in the outbox.
        server.kill()
        try await tmux.waitForScreen("the lost connection") { $0.contains("reconnecting in") || $0.contains("offline") || $0.contains("connecting…") }
        try tmux.type("typed while the server was down")
        try tmux.press("Enter")
        try await tmux.waitForScreen("the pending marker") { $0.contains("typed while the server was down") }

        // The server comes back on the same port and database: the UI recovers and the
        // line arrives exactly once.
        server = try await ServeProcess.startForEndToEnd(port: port, database: database, environment: environment)
        try await tmux.waitForScreen("the recovered connection", seconds: 60) { screen in
            screen.split(separator: "\n").contains { $0.hasSuffix(" connected") }
        }
        do {
            try await waitFor("the offline line on the server", seconds: 60) {
                try await carol.messages(channelId: general.id).contains { $0.content == "typed while the server was down" }
            }
        } catch {
            throw E2EFailure("\(error); the screen was:\n\(try tmux.capture())")
        }
        // Real process timing: a second copy, were the outbox to send one, would be in by then.
        try await Task.sleep(for: .seconds(2))
        let copies = try await carol.messages(channelId: general.id).filter { $0.content == "typed while the server was down" }
        #expect(copies.count == 1)

        // A resize relays out; too small says so; back to normal.
        try tmux.tmux(["resize-window", "-t", tmux.session, "-x", "50", "-y", "12"])
        try await tmux.waitForScreen("the too-small line") { $0.contains("needs a terminal of at least 60×15") }
        try tmux.tmux(["resize-window", "-t", tmux.session, "-x", "70", "-y", "20"])
        let resized = try await tmux.waitForScreen("the resized layout") { $0.contains("connected") && $0.contains("#general>") }
        #expect(resized.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.count <= 70 })

        // /quit ends the program with status 0 and gives the terminal back (the normal
        // screen, not curses' alternate one).
        try tmux.type("/quit")
        try tmux.press("Enter")
        try await waitFor("the end of the program") { FileManager.default.fileExists(atPath: statusFile) }
        let status = try String(contentsOfFile: statusFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(status == "0")
        #expect(try tmux.display("#{alternate_on}") == "0")
        #expect(try !tmux.capture().contains("#general>"))
    }

    @Test(.timeLimit(.minutes(2)))
    func mouseClicksSelectChannelsAndLeaveTheScreenLive() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["PYTHIA_JWT_SECRET": String(repeating: "e2e-secret-", count: 4), "XDG_DATA_HOME": directory, "XDG_CONFIG_HOME": directory + "/config"]
        let server = try await ServeProcess.startForEndToEnd(port: 0, database: directory + "/chat.sqlite", environment: environment)
        defer { server.kill() }
        let endpoint = try ServerEndpoint(server.baseURL)
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        _ = try await anonymous.register(username: "dora", email: "dora@example.com", password: "dora-password")
        let token = try await anonymous.login(username: "dora", password: "dora-password").accessToken
        let dora = APIClient(endpoint: endpoint, token: token)
        let alpha = try await dora.createChannel(name: "alpha", description: "first")
        _ = try await dora.createChannel(name: "beta", description: "second")

        let tmux = Tmux()
        defer { tmux.killServer() }
        let command = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // xterm-256color: the SGR mouse protocol most terminals speak.
        try tmux.start("env TERM=xterm-256color \(command) \(ServeProcess.binary.path) --server \(server.baseURL) --token \(token) --no-bell", columns: 100, rows: 30)
        try await tmux.waitForScreen("the channel list") { $0.contains("#alpha") && $0.contains("#beta") && $0.contains("connected") }

        // A press, then apart from it a release, of the left button on row 3, column 4
        // (1-based): #beta.
        try tmux.type("\u{1B}[<0;4;3M")
        try await tmux.waitForScreen("#beta selected") { $0.contains("#beta>") }
        try tmux.type("\u{1B}[<0;4;3m")
        // A right click, which the UI ignores; #alpha; then a message arriving with no key pressed.
        try tmux.type("\u{1B}[<2;40;10M\u{1B}[<2;40;10m")
        try tmux.type("\u{1B}[<0;4;2M")
        try await tmux.waitForScreen("#alpha selected") { $0.contains("#alpha>") }
        try tmux.type("\u{1B}[<0;4;2m")
        // Real terminal timing: the release is read before the message comes, so no key wakes the UI.
        try await Task.sleep(for: .milliseconds(300))
        _ = try await dora.postMessage(channelId: alpha.id, content: "arrived after the clicks", clientId: nil)
        try await tmux.waitForScreen("the message, without a key", seconds: 10) { $0.contains("dora arrived after the clicks") }
    }

    @Test(.timeLimit(.minutes(2)))
    func theChatUIVerifiesTheServersCertificate() async throws {
        let tls = try ServeTLSFiles(named: "pythia-e2e-tls")
        defer { tls.remove() }
        let (directory, caFile, wrongCA) = (tls.directory, tls.caFile, tls.wrongCA)
        let environment = [
            "PYTHIA_JWT_SECRET": String(repeating: "e2e-secret-", count: 4), "XDG_DATA_HOME": directory.path,
            "XDG_CONFIG_HOME": directory.path + "/config",
        ]
        let server = try await ServeProcess.startForEndToEnd(
            port: 0, database: directory.path + "/chat.sqlite", environment: environment,
            arguments: tls.serverArguments)
        defer { server.kill() }
        let endpoint = try ServerEndpoint(server.baseURL, trust: ServerTrust(caFile: caFile))
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        _ = try await anonymous.register(username: "dora", email: "dora@example.com", password: "dora-password")
        let token = try await anonymous.login(username: "dora", password: "dora-password").accessToken
        let general = try await APIClient(endpoint: endpoint, token: token).createChannel(name: "general")
        _ = try await APIClient(endpoint: endpoint, token: token).postMessage(channelId: general.id, content: "history over tls", clientId: nil)
        let command = environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")

        // Trusting another authority: the status bar says why, naming the host.
        let refused = Tmux()
        defer { refused.killServer() }
        try refused.start(
            "env TERM=tmux-256color \(command) \(ServeProcess.binary.path) --server \(server.baseURL) --token \(token) --ca-file \(wrongCA) --no-bell",
            columns: 100, rows: 30)
        try await refused.waitForScreen("the refusal in the status bar") { $0.contains("the certificate of 127.0.0.1:\(server.port) is not signed") }

        // Trusting the server's authority: history over https, live over wss.
        let trusted = Tmux()
        defer { trusted.killServer() }
        try trusted.start(
            "env TERM=tmux-256color \(command) \(ServeProcess.binary.path) --server \(server.baseURL) --token \(token) --ca-file \(caFile) --no-bell",
            columns: 100, rows: 30)
        try await trusted.waitForScreen("history and the connected state") { $0.contains("history over tls") && $0.contains("connected") }
        _ = try await APIClient(endpoint: endpoint, token: token).postMessage(channelId: general.id, content: "live over wss", clientId: nil)
        try await trusted.waitForScreen("the live message") { $0.contains("dora live over wss") }
    }

    /// Local mode keeps a database, a JWT secret, a log and an outbox in the data directory:
    /// every account on the machine could otherwise read the private messages and forge tokens.
    @Test(.timeLimit(.minutes(2)))
    func localModeKeepsItsFilesPrivate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = Tmux()
        defer { tmux.killServer() }
        // No saved login and no PYTHIA_JWT_SECRET: local mode, with a secret of its own.
        try tmux.start(
            "env -u PYTHIA_JWT_SECRET TERM=tmux-256color USER=tester XDG_DATA_HOME=\(directory)/data XDG_CONFIG_HOME=\(directory)/config \(ServeProcess.binary.path) --no-bell",
            columns: 100, rows: 30)
        try await tmux.waitForScreen("local mode connected") { $0.contains("#general") && $0.contains("connected") }
        try tmux.type("a message through the outbox")
        try tmux.press("Enter")
        try await tmux.waitForScreen("the sent line on screen") { $0.contains("tester a message through the outbox") }

        let data = directory + "/data/pythia-chat"
        func mode(_ path: String) throws -> Int {
            try #require((FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue, "\(path) exists")
        }
        #expect(try mode(data) == 0o700)
        for file in ["pythia.sqlite", "pythia.sqlite-wal", "pythia.sqlite-shm", "jwt-secret", "pythia-chat.log"] {
            #expect(try mode(data + "/" + file) == 0o600, "\(file)")
        }
    }

    /// Two `--serve` processes on one database: the UI given both says which it is on,
    /// and when that one dies moves to the other with what was posted meanwhile.
    @Test(.timeLimit(.minutes(2)))
    func theStatusBarNamesTheServerInUseAndFollowsAMove() async throws {
        let scratch = try Scratch("e2e-failover")
        defer { scratch.remove() }
        let first = try await ServeProcess.startForEndToEnd(port: 0, database: scratch.database, environment: scratch.environment)
        defer { first.kill() }
        let second = try await ServeProcess.startForEndToEnd(port: 0, database: scratch.database, environment: scratch.environment)
        defer { second.kill() }
        let anonymous = APIClient(endpoint: try ServerEndpoint(first.baseURL), token: nil)
        _ = try await anonymous.register(username: "carol", email: "carol@example.com", password: "carol-password")
        let carolToken = try await anonymous.login(username: "carol", password: "carol-password").accessToken
        let carol = APIClient(endpoint: try ServerEndpoint(first.baseURL), token: carolToken)
        let general = try await carol.createChannel(name: "general")
        _ = try await carol.postMessage(channelId: general.id, content: "before the move", clientId: nil)

        let tmux = Tmux()
        defer { tmux.killServer() }
        let command = scratch.environment.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        try tmux.start(
            "env TERM=tmux-256color \(command) \(ServeProcess.binary.path) --server \(first.baseURL),\(second.baseURL) --token \(carolToken) --no-bell",
            columns: 100, rows: 30)
        try await tmux.waitForScreen("connected to the first server") {
            $0.contains("before the move") && $0.contains("connected · 127.0.0.1:\(first.port)")
        }

        first.kill()
        let secondAPI = APIClient(endpoint: try ServerEndpoint(second.baseURL), token: carolToken)
        _ = try await secondAPI.postMessage(channelId: general.id, content: "posted during the move", clientId: nil)
        try await tmux.waitForScreen("connected to the second server with the missed message") {
            $0.contains("posted during the move") && $0.contains("connected · 127.0.0.1:\(second.port)")
        }
    }

    private func waitFor(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(250))  // polls real processes
        }
        throw E2EFailure("timed out waiting for \(what)")
    }
}
