import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// README.md's ```` ```sh tested ```` blocks, run with bash as a user would type them, against
/// a real `pythia-chat --serve`: the built `pythia-chat` first on PATH, HOME and the XDG
/// directories in a scratch directory (so the default database is the server's), a saved
/// login for `opsbot`, a member of `#ops`. The README speaks of the server at
/// `http://127.0.0.1:8000`; the test's server is on a free port, which replaces it. Each block
/// must exit 0, and what it does is checked where it has an effect.
@Suite(.serialized) struct ReadmeEndToEndTests {
    /// README.md, from the package's root.
    static var readme: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        }
    }

    @Test func onlyMarkedBlocksAreTested() {
        let markdown = "```sh\nrm -rf /\n```\n```sh tested\n# a comment\necho one\n```\n```yaml\nkey: 1\n```\n```sh tested background\nsleep 1\n```\n"
        let blocks = ReadmeBlock.tested(in: markdown)
        #expect(blocks.map(\.script) == ["# a comment\necho one\n", "sleep 1\n"])
        #expect(blocks.map(\.title) == ["echo one", "sleep 1"])
        #expect(blocks.map(\.background) == [false, true])
    }

    @Test(.timeLimit(.minutes(3)))
    func everyTestedBlockOfTheReadmeWorks() async throws {
        let workspace = try ReadmeWorkspace()
        defer { workspace.scratch.remove() }
        let jqInstalled = workspace.hasCommand("jq")
        try #require(jqInstalled, "install jq: README.md's examples pipe `tail` and `admin export` through it")
        let blocks = ReadmeBlock.tested(in: try Self.readme)
        try #require(blocks.contains { $0.background } && blocks.contains { !$0.background }, "README.md has no ```sh tested blocks")

        let server = try await ServeProcess.startForEndToEnd(port: 0, database: workspace.database, environment: workspace.environment)
        defer { server.kill() }
        // The README's reader has logged in (the saved login) and is a member of #ops;
        // dave mentions them and has written in #ops.
        let register = try await HeadlessCommandsEndToEndTests.run(
            ["register", "--server", server.baseURL, "--username", "opsbot", "--email", "opsbot@example.com"],
            stdin: "opsbot-password\nopsbot-password\n", environment: workspace.environment)
        try #require(register.status == 0, "register: \(register.stderr)")
        let endpoint = try ServerEndpoint(server.baseURL)
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        let opsbot = APIClient(endpoint: endpoint, token: try await anonymous.login(username: "opsbot", password: "opsbot-password").accessToken)
        let ops = try await opsbot.createChannel(name: "ops")
        _ = try await anonymous.register(username: "dave", email: "dave@example.com", password: "dave-password")
        let dave = APIClient(endpoint: endpoint, token: try await anonymous.login(username: "dave", password: "dave-password").accessToken)
        _ = try await dave.joinChannel(id: ops.id)
        _ = try await dave.postMessage(channelId: ops.id, content: "dave checks the export", clientId: nil)

        var runs: [ReadmeWorkspace.Run] = []
        for block in blocks where !block.background {
            let run = try await workspace.run(block, server: server.baseURL)
            #expect(run.status == 0, "README block `\(block.title)` exited \(run.status): \(run.stderr)")
            runs.append(run)
        }
        func output(of command: String) throws -> String {
            try #require(runs.first { $0.block.script.contains(command) }, "README.md has no tested block with `\(command)`").stdout
        }
        #expect(try output(of: "/health").contains(#""status":"ok""#))
        #expect(try output(of: "/metrics").contains("pythia_users_online "))
        let administration = try output(of: "admin users list")
        for expected in ["created user carol <carol@example.com>", "opsbot@example.com", "#ops", "now owned by carol"] {
            #expect(administration.contains(expected), "admin block printed: \(administration)")
        }
        #expect(try output(of: "admin export").contains("dave: dave checks the export"))
        #expect(try output(of: "admin purge").contains("deleted 0 messages"))
        for file in [".local/share/bash-completion/completions/pythia-chat", ".zfunc/_pythia-chat", ".config/fish/completions/pythia-chat.fish"] {
            #expect(ReadmeWorkspace.text(workspace.home + "/" + file).contains("pythia-chat"), "no completions in ~/\(file)")
        }
        let posted = try await opsbot.messages(channelId: ops.id).filter { $0.user.username == "opsbot" }.map(\.content)
        #expect(posted.contains { $0.hasPrefix("backup done: \(workspace.home)/backups/pythia-") }, "the cron example's message: \(posted)")
        let lines = ["deploy 2.4 starting", "migrations done", "deploy 2.4 finished"]
        #expect(posted.suffix(4) == [lines.joined(separator: "\n")] + lines, "the piped file: \(posted)")

        for block in blocks where block.background {
            try await expectAnswer(from: block, workspace: workspace, server: server.baseURL, channel: ops.id, dave: dave)
        }
    }

    /// Starts the bot, waits for its `tail` to connect, has dave mention it in #ops and
    /// expects its answer there within 15 s; then stops its process group.
    private func expectAnswer(from block: ReadmeBlock, workspace: ReadmeWorkspace, server: String, channel: String, dave: APIClient) async throws {
        let errors = workspace.scratch.directory + "/bot.err"
        let bot = try workspace.start(block, server: server, output: workspace.scratch.directory + "/bot.out", errors: errors)
        defer {
            kill(-bot.pid, SIGTERM)
            bot.wait()
        }
        // Real process timing: the bot's tail must be connected before the mention is posted.
        try await waitFor("README block `\(block.title)` to connect", errors: errors) {
            ReadmeWorkspace.text(errors).contains("pythia-chat tail: connected")
        }
        _ = try await dave.postMessage(channelId: channel, content: "@opsbot is the disk full?", clientId: nil)
        try await waitFor("README block `\(block.title)` to answer dave's mention", errors: errors) {
            try await dave.messages(channelId: channel).contains { $0.user.username == "opsbot" && $0.content.hasPrefix("@dave ") }
        }
    }

    private func waitFor(_ what: String, errors: String, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if try await condition() { return }
            // Polling real processes: the bot's output and the server's history.
            try await Task.sleep(for: .milliseconds(100))
        }
        throw E2EFailure("timed out waiting for \(what); its stderr: \(ReadmeWorkspace.text(errors))")
    }
}
