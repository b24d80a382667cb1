import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTestSupport
import Testing

/// `pythia-chat send` and `pythia-chat tail`, the real binary, against a real
/// `pythia-chat --serve`: what a shell script sees — standard output, standard error,
/// exit status — including a restart of the server under a running `tail`.
@Suite(.serialized) struct HeadlessCommandsEndToEndTests {
    /// Runs the binary to its end, as a script would: with `environment`, no other secret.
    static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String]
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ServeProcess.run(arguments, input: stdin, secret: nil, environment: environment)
    }

    /// Starts the binary in the background, its standard output and error in files.
    static func start(_ arguments: [String], output: String, errors: String, environment: [String: String]) throws -> Subprocess {
        try Subprocess(
            ServeProcess.binary.path, arguments, environment: environment,
            files: .init(input: "/dev/null", output: output, error: errors))
    }

    /// Ends a background run and reaps it.
    static func stop(_ process: Subprocess) {
        process.signal(SIGTERM)
        process.wait()
    }

    private func waitFor(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))  // polls real processes
        }
        throw E2EFailure("timed out waiting for \(what)")
    }

    @Test func helpShowsDurationsInTheUnitsPeopleWriteThem() async throws {
        let help = try await Self.run(["--help"], environment: [:])
        #expect(help.status == 0)
        #expect(help.stdout.contains("(default: 24h)"), "--token-ttl: \(help.stdout)")
        #expect(help.stdout.contains("(default: 30d)"), "--session-limit: \(help.stdout)")
        #expect(!help.stdout.contains("TokenLifetime"))
    }

    /// A cron job must not hang: against a server that cannot be reached, `send` gives up at
    /// its `--timeout`, not at the HTTP client's own 15 s per attempt.
    @Test func sendGivesUpAtItsTimeoutWhenNoServerAnswers() async throws {
        let started = ContinuousClock.now
        let result = try await Self.run(
            ["send", "--server", "http://127.0.0.1:1", "--token", "x", "--timeout", "1", "-c", "general", "hello"], environment: [:])
        // A bound, not a measurement: the fault made this 15 s.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(result.status == 75, "EX_TEMPFAIL: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
    }

    @Test(.timeLimit(.minutes(3)))
    func sendAndTailAsAScriptUsesThem() async throws {
        let scratch = try Scratch("headless")
        defer { scratch.remove() }
        let (directory, database, environment) = (scratch.directory, scratch.database, scratch.environment)
        var server = try await ServeProcess.startForEndToEnd(port: try RestartablePort.reserve(), database: database, environment: environment)
        let port = server.port
        defer { server.kill() }

        let endpoint = try ServerEndpoint(server.baseURL)
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        _ = try await anonymous.register(username: "dora", email: "dora@example.com", password: "dora-password")
        _ = try await anonymous.register(username: "eve", email: "eve@example.com", password: "eve-password")
        let dora = try await anonymous.login(username: "dora", password: "dora-password").accessToken
        let eve = try await anonymous.login(username: "eve", password: "eve-password").accessToken
        let general = try await APIClient(endpoint: endpoint, token: dora).createChannel(name: "general")
        _ = try await APIClient(endpoint: endpoint, token: eve).joinChannel(id: general.id)

        // tail in the background, its standard output in a file.
        let tailOutput = directory + "/tail.out"
        #expect(FileManager.default.createFile(atPath: tailOutput, contents: nil))
        let tail = try Self.start(["tail", "--server", server.baseURL, "--token", dora, "--channel", "#general"], output: tailOutput, errors: "/dev/null", environment: environment)
        defer { Self.stop(tail) }
        func tailFrames() -> [[String: Any]] {
            let text = (try? String(contentsOfFile: tailOutput, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        func contents() -> [String] {
            tailFrames().filter { $0["type"] as? String == "new_message" }.compactMap { ($0["data"] as? [String: Any])?["content"] as? String }
        }
        try await waitFor("tail connected") { tailFrames().contains { $0["type"] as? String == "connection_established" } }

        // send with arguments, then with standard input.
        var result = try await Self.run(["send", "--server", server.baseURL, "--token", eve, "--channel", "general", "hello", "from", "eve"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let stored = try PythiaJSON.decode(Message.self, from: Data(result.stdout.utf8))
        #expect(stored.content == "hello from eve")
        // The token from the environment, where `ps` does not show it.
        result = try await Self.run(["send", "--server", "127.0.0.1:\(port)", "-c", "#general"], stdin: "line from stdin\n", environment: environment.merging(["PYTHIA_TOKEN": eve]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        try await waitFor("both in tail") { contents() == ["hello from eve", "line from stdin"] }

        // Failures a script can tell apart.
        result = try await Self.run(["send", "--server", server.baseURL, "--token", eve, "-c", "nowhere", "x"], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("pythia-chat send: "))
        result = try await Self.run(["send", "--server", server.baseURL, "--token", "forged", "-c", "general", "x"], environment: environment)
        #expect(result.status == 3)
        result = try await Self.run(["send", "--server", "127.0.0.1:1", "--token", eve, "-c", "general", "--timeout", "1", "x"], environment: environment)
        #expect(result.status == 75)
        result = try await Self.run(["send", "--server", server.baseURL, "--token", eve, "-c", "general"], stdin: "  \n", environment: environment)
        #expect(result.status == 64)
        result = try await Self.run(["send", "-c", "general", "x"], environment: environment)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--server"))
        result = try await Self.run(["tail", "--server", server.baseURL, "--token", "forged"], environment: environment)
        #expect(result.status == 3)

        // The server dies; eve posts through a second instance while tail is cut off;
        // the server comes back on its port: tail replays the missed message once.
        server.kill()
        let other = try await ServeProcess.startForEndToEnd(port: 0, database: database, environment: environment)
        result = try await Self.run(["send", "--server", other.baseURL, "--token", eve, "-c", "general", "while tail was away"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        other.kill()
        server = try await ServeProcess.startForEndToEnd(port: port, database: database, environment: environment)
        try await waitFor("the missed message replayed", seconds: 60) { contents().contains("while tail was away") }
        result = try await Self.run(["send", "--server", server.baseURL, "--token", eve, "-c", "general", "after the restart"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        try await waitFor("the live message after the restart") { contents().last == "after the restart" }
        #expect(contents() == ["hello from eve", "line from stdin", "while tail was away", "after the restart"])
    }

    /// Two `--serve` processes on one database, as one deployment: `send` and `tail` given
    /// both (and a dead one) use whichever answers, and `tail` moves when its server dies.
    @Test(.timeLimit(.minutes(2)))
    func sendAndTailMoveOnToTheNextServerOfTheirList() async throws {
        let scratch = try Scratch("failover")
        defer { scratch.remove() }
        let (directory, database, environment) = (scratch.directory, scratch.database, scratch.environment)
        let first = try await ServeProcess.startForEndToEnd(port: 0, database: database, environment: environment)
        defer { first.kill() }
        let second = try await ServeProcess.startForEndToEnd(port: 0, database: database, environment: environment)
        defer { second.kill() }
        // A port nothing listens on: a server that is down.
        let dead = "http://127.0.0.1:\(try RestartablePort.reserve())"

        let anonymous = APIClient(endpoint: try ServerEndpoint(first.baseURL), token: nil)
        _ = try await anonymous.register(username: "dora", email: "dora@example.com", password: "dora-password")
        let dora = try await anonymous.login(username: "dora", password: "dora-password").accessToken
        let general = try await APIClient(endpoint: try ServerEndpoint(first.baseURL), token: dora).createChannel(name: "general")
        let secondAPI = APIClient(endpoint: try ServerEndpoint(second.baseURL), token: dora)

        // A comma-separated list, and --server repeated: the dead one first, each time.
        let started = ContinuousClock.now
        var result = try await Self.run(["send", "--server", "\(dead),\(second.baseURL)", "--token", dora, "-c", "general", "past the dead one"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        // A bound, not a measurement: a refused connection held each attempt for 15 s before.
        #expect(ContinuousClock.now - started < .seconds(10))
        result = try await Self.run(["send", "--server", dead, "--server", second.baseURL, "--token", dora, "-c", "general", "repeated flag"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await secondAPI.messages(channelId: general.id).map(\.content) == ["past the dead one", "repeated flag"])
        // When none answers, the error names them all.
        let alsoDead = "http://127.0.0.1:\(try RestartablePort.reserve())"
        result = try await Self.run(["send", "--server", "\(dead),\(alsoDead)", "--token", dora, "-c", "general", "--timeout", "1", "x"], environment: environment)
        #expect(result.status == 75)
        #expect(result.stderr.contains("\(dead),\(alsoDead)"), "\(result.stderr)")
        // A bad URL in the list is named.
        result = try await Self.run(["send", "--server", "\(second.baseURL),ftp://x", "--token", dora, "-c", "general", "x"], environment: environment)
        #expect(result.status == 64)
        #expect(result.stderr.contains("'ftp://x'"), "\(result.stderr)")
        // login keeps the list as one comma-separated `server`; send without flags uses it whole.
        result = try await Self.run(
            ["login", "--server", "\(dead), \(second.baseURL)/", "--username", "dora"], stdin: "dora-password\n", environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let saved = try SavedLogin.load(from: URL(fileURLWithPath: directory + "/config/pythia-chat/login.json"))
        #expect(saved?.server == "\(dead),\(second.baseURL)")
        result = try await Self.run(["send", "-c", "general", "with the saved list"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await secondAPI.messages(channelId: general.id).map(\.content).last == "with the saved list")

        // tail on the first; it dies; what is posted on the second meanwhile is printed once.
        let tailOutput = directory + "/tail.out"
        let tailErrors = directory + "/tail.err"
        #expect(FileManager.default.createFile(atPath: tailOutput, contents: nil))
        #expect(FileManager.default.createFile(atPath: tailErrors, contents: nil))
        let tail = try Self.start(["tail", "--server", "\(first.baseURL),\(second.baseURL)", "--token", dora, "--channel", "general"], output: tailOutput, errors: tailErrors, environment: environment)
        defer { Self.stop(tail) }
        func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        func contents() -> [String] {
            text(tailOutput).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .filter { $0["type"] as? String == "new_message" }
                .compactMap { ($0["data"] as? [String: Any])?["content"] as? String }
        }
        try await waitFor("tail connected to the first server") {
            text(tailOutput).contains("connection_established") && text(tailErrors).contains("using \(first.baseURL)")
        }
        first.kill()
        _ = try await secondAPI.postMessage(channelId: general.id, content: "while tail moved", clientId: nil)
        do {
            try await waitFor("tail on the second server with the missed message") { contents().contains("while tail moved") }
        } catch {
            throw E2EFailure("\(error); tail said:\n\(text(tailErrors))\nand printed:\n\(text(tailOutput))")
        }
        #expect(text(tailErrors).contains("using \(second.baseURL)"), "\(text(tailErrors))")
        _ = try await secondAPI.postMessage(channelId: general.id, content: "live on the second", clientId: nil)
        try await waitFor("the live message") { contents().last == "live on the second" }
        #expect(contents() == ["while tail moved", "live on the second"])
    }

    @Test(.timeLimit(.minutes(2)))
    func sendTailRegisterAndLoginVerifyTheServersCertificate() async throws {
        let tls = try ServeTLSFiles(named: "pythia-headless-tls")
        defer { tls.remove() }
        let (directory, caFile, wrongCA) = (tls.directory, tls.caFile, tls.wrongCA)
        // An empty SSL_CERT_FILE counts as unset: without --ca-file, the system's store decides.
        let environment = [
            "PYTHIA_JWT_SECRET": String(repeating: "headless-secret-", count: 3), "XDG_DATA_HOME": directory.path,
            "XDG_CONFIG_HOME": directory.path + "/config", "SSL_CERT_FILE": "",
        ]
        let server = try await ServeProcess.startForEndToEnd(
            port: 0, database: directory.path + "/chat.sqlite", environment: environment,
            arguments: tls.serverArguments)
        defer { server.kill() }
        #expect(server.baseURL == "https://127.0.0.1:\(server.port)")

        let endpoint = try ServerEndpoint(server.baseURL, trust: ServerTrust(caFile: caFile))
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        _ = try await anonymous.register(username: "dora", email: "dora@example.com", password: "dora-password")
        let dora = try await anonymous.login(username: "dora", password: "dora-password").accessToken
        _ = try await APIClient(endpoint: endpoint, token: dora).createChannel(name: "general")

        // Trusted through --ca-file, or through SSL_CERT_FILE.
        var result = try await Self.run(
            ["send", "--server", server.baseURL, "--token", dora, "--ca-file", caFile, "-c", "general", "over tls"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try PythiaJSON.decode(Message.self, from: Data(result.stdout.utf8)).content == "over tls")
        result = try await Self.run(
            ["send", "--server", server.baseURL, "--token", dora, "-c", "general", "via SSL_CERT_FILE"],
            environment: environment.merging(["SSL_CERT_FILE": caFile]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")

        // Refused at once (not retried until --timeout), in one line naming the host.
        let host = "127.0.0.1:\(server.port)"
        for (trust, reason) in [(["--ca-file", wrongCA], "the CA file \(wrongCA)"), ([], "the system's trust store")] {
            let started = ContinuousClock.now
            result = try await Self.run(
                ["send", "--server", server.baseURL, "--token", dora, "-c", "general", "--timeout", "60"] + trust + ["x"], environment: environment)
            #expect(result.status == 4)
            #expect(result.stderr.hasPrefix("pythia-chat send: refusing the server: the certificate of \(host) is not signed by an authority in \(reason)"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
            #expect(ContinuousClock.now - started < .seconds(20), "refused at once, not retried until --timeout")
        }
        result = try await Self.run(["tail", "--server", server.baseURL, "--token", dora, "--ca-file", wrongCA], environment: environment)
        #expect(result.status == 4)
        #expect(result.stderr.split(separator: "\n").last?.hasPrefix("pythia-chat tail: the certificate of \(host) is not signed") == true, "\(result.stderr)")

        // register and login: --ca-file after the subcommand's name, or before it.
        result = try await Self.run(
            ["register", "--server", server.baseURL, "--ca-file", caFile, "--username", "eve", "--email", "eve@example.com"],
            stdin: "eve-password\neve-password\n", environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("logged in as eve on \(server.baseURL)"), "\(result.stdout)")
        result = try await Self.run(
            ["--ca-file", caFile, "login", "--server", server.baseURL, "--username", "eve"], stdin: "eve-password\n", environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        result = try await Self.run(
            ["login", "--server", server.baseURL, "--ca-file", wrongCA, "--username", "eve"], stdin: "eve-password\n", environment: environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("refusing the server: the certificate of \(host) is not signed"), "\(result.stderr)")

        // tail over wss, trusting the CA file, sees a message posted after it connected.
        let tailOutput = directory.path + "/tail.out"
        #expect(FileManager.default.createFile(atPath: tailOutput, contents: nil))
        let tail = try Self.start(["tail", "--server", server.baseURL, "--token", dora, "--ca-file", caFile], output: tailOutput, errors: "/dev/null", environment: environment)
        defer { Self.stop(tail) }
        func tailed() -> String { (try? String(contentsOfFile: tailOutput, encoding: .utf8)) ?? "" }
        try await waitFor("tail connected over wss") { tailed().contains("connection_established") }
        result = try await Self.run(
            ["send", "--server", server.baseURL, "--token", dora, "--ca-file", caFile, "-c", "general", "tailed over wss"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        try await waitFor("the message in tail") { tailed().contains("tailed over wss") }
    }

    /// Scalars a terminal acts on rather than shows: ESC sequences, a bell, C1 controls
    /// (U+009B is a one-byte CSI for some terminals) and bidirectional overrides.
    static let hostile = "red \u{1B}[31m\u{1B}]0;owned\u{7} csi \u{9B}2J nel \u{85} rlo \u{202E}olleh\u{202C} iso \u{2066}x\u{2069} end"

    private static func rawControls(_ text: String) -> [UInt32] {
        text.unicodeScalars.filter { $0 != "\n" && TerminalText.isControl($0) }.map(\.value)
    }

    @Test(.timeLimit(.minutes(2)))
    func tailAndSendPrintNoRawControlCharacters() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-headless-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["PYTHIA_JWT_SECRET": String(repeating: "headless-secret-", count: 3), "XDG_DATA_HOME": directory, "XDG_CONFIG_HOME": directory + "/config"]
        let server = try await ServeProcess.startForEndToEnd(port: 0, database: directory + "/chat.sqlite", environment: environment)
        defer { server.kill() }
        let anonymous = APIClient(endpoint: try ServerEndpoint(server.baseURL), token: nil)
        _ = try await anonymous.register(username: "dora", email: "dora@example.com", password: "dora-password")
        let dora = try await anonymous.login(username: "dora", password: "dora-password").accessToken
        _ = try await APIClient(endpoint: try ServerEndpoint(server.baseURL), token: dora).createChannel(name: "general")

        let tailOutput = directory + "/tail.out"
        #expect(FileManager.default.createFile(atPath: tailOutput, contents: nil))
        let tail = try Self.start(["tail", "--server", server.baseURL, "--token", dora], output: tailOutput, errors: "/dev/null", environment: environment)
        defer { Self.stop(tail) }
        func tailText() -> String { (try? String(contentsOfFile: tailOutput, encoding: .utf8)) ?? "" }
        try await waitFor("tail connected") { tailText().contains("connection_established") }

        // send prints the stored message; tail prints its new_message frame.
        let sent = try await Self.run(["send", "--server", server.baseURL, "--token", dora, "-c", "general", Self.hostile], environment: environment)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(Self.rawControls(sent.stdout).isEmpty, "\(Self.rawControls(sent.stdout))")
        #expect(try PythiaJSON.decode(Message.self, from: Data(sent.stdout.utf8)).content == Self.hostile)
        try await waitFor("the message in tail") { tailText().contains("new_message") }
        #expect(Self.rawControls(tailText()).isEmpty, "\(Self.rawControls(tailText()))")
        let frame = try #require(tailText().split(separator: "\n").first { $0.contains("new_message") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(frame.utf8)) as? [String: Any])
        #expect((object["data"] as? [String: Any])?["content"] as? String == Self.hostile)
    }

    /// A URL that answers 404 everywhere is no Pythia server: `send` and `tail` say so at
    /// once (not at `--timeout`), in one line, with exit status 4.
    @Test(.timeLimit(.minutes(1)))
    func aURLThatIsNotAPythiaServerFailsAtOnce() async throws {
        let elsewhere = try CannedHTTPServer(status: "404 Not Found", body: #"{"detail":"Not Found"}"#)
        defer { elsewhere.stop() }
        let url = "http://127.0.0.1:\(elsewhere.port)"
        for arguments in [["send", "--timeout", "60", "-c", "general", "x"], ["tail"], ["tail", "-c", "general"]] {
            let started = ContinuousClock.now
            let result = try await Self.run(arguments + ["--server", url, "--token", "t"], environment: [:])
            #expect(result.status == 4, "\(arguments): \(result.stderr)")
            #expect(ContinuousClock.now - started < .seconds(20), "\(arguments): at once, not retried")
            let lastLine = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(lastLine.hasPrefix("pythia-chat \(arguments[0]): ") && lastLine.contains("no Pythia server at \(url)"), "\(arguments): \(result.stderr)")
        }
    }

    /// A server's error detail reaches the user's terminal through `send`'s one line on
    /// standard error: what it says is printed, what it would make the terminal do is not.
    @Test(.timeLimit(.minutes(1)))
    func sendPrintsAServersErrorDetailWithoutItsControlCharacters() async throws {
        let body = #"{"detail":"bad \u001b]0;owned\u0007 \u001b[2J\u009b31m \u202eevil","code":"validation_error"}"#
        let hostileServer = try CannedHTTPServer(status: "422 Unprocessable Entity", body: body)
        defer { hostileServer.stop() }
        let result = try await Self.run(["send", "--server", "http://127.0.0.1:\(hostileServer.port)", "--token", "t", "-c", "general", "x"], environment: [:])
        #expect(result.status == 5)
        #expect(result.stderr.hasPrefix("pythia-chat send: ") && result.stderr.contains("bad "), "\(result.stderr)")
        #expect(Self.rawControls(result.stderr).isEmpty, "\(Self.rawControls(result.stderr))")
    }

    /// `login` prints the user name the server answered with: a hostile server's escape
    /// sequences in it are not printed raw. The saved login is its owner's alone.
    @Test(.timeLimit(.minutes(1)))
    func loginPrintsAServersUserNameWithoutItsControlCharacters() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-login-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let body = #"{"access_token":"t","token_type":"bearer","expires_in":60,"user":{"id":"u1","username":"\u001b]0;owned\u0007dora\u009b2J\u202e"}}"#
        let hostileServer = try CannedHTTPServer(status: "200 OK", body: body)
        defer { hostileServer.stop() }
        let result = try await Self.run(
            ["login", "--server", "http://127.0.0.1:\(hostileServer.port)", "--username", "dora"], stdin: "dora-password\n",
            environment: ["XDG_CONFIG_HOME": directory])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("logged in as ") && result.stdout.contains("dora"), "\(result.stdout)")
        #expect(Self.rawControls(result.stdout + result.stderr).isEmpty, "\(Self.rawControls(result.stdout + result.stderr))")
        let saved = directory + "/pythia-chat/login.json"
        #expect((try FileManager.default.attributesOfItem(atPath: saved)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: directory + "/pythia-chat")[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }
}
