import Foundation
import NIOWebSocket
import WSCore
import Logging
import NIOHTTP1
import PythiaProtocol
import PythiaTestSupport
@testable import PythiaServer
import Synchronization
import Testing

/// The built `pythia-chat` binary, run as a separate process.
///
/// Started with posix_spawn (``Subprocess``), never Foundation's `Process`: its `run()`
/// copies the list of this process's open descriptors while other tests open and close
/// sockets by the thousand, and crashed the test process doing so.
final class ServeProcess: Sendable {
    private let process: Subprocess
    let baseURL: String
    private let exit = Mutex<Int32?>(nil)

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pythia-chat")
    }

    /// Starts `--serve` on `database` with extra `arguments`; with `secret` nil the server
    /// keeps its own.
    static func start(
        database: String, arguments: [String] = [], secret: String? = TestServer.secret
    ) async throws -> ServeProcess {
        try await onOwnThread { try ServeProcess(database: database, arguments: arguments, secret: secret) }
    }

    private init(database: String, arguments: [String], secret: String?) throws {
        // Standard output to a file: nothing needs to drain it while the server runs.
        let output = Self.scratchPath("out")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = try Subprocess(
            Self.binary.path, ["--serve", "--port", "0", "--db", database] + arguments,
            environment: secret.map { ["PYTHIA_JWT_SECRET": $0] } ?? [:],
            files: .init(input: "/dev/null", output: output, error: "/dev/null"))
        let deadline = Date().addingTimeInterval(30)
        var text = ""
        while !text.contains("\n"), Date() < deadline {
            text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if !text.contains("\n") { Thread.sleep(forTimeInterval: 0.02) }
        }
        guard let range = text.range(of: "listening on ") else {
            process.signal(SIGKILL)
            process.wait()
            throw ProbeTimeout(what: "the server to listen")
        }
        baseURL = String(text[range.upperBound...].prefix { !$0.isWhitespace })
        self.process = process
    }

    var port: Int { Int(baseURL.split(separator: ":").last ?? "") ?? 0 }

    /// A file name for one run's standard stream.
    private static func scratchPath(_ stream: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pythia-run-\(UUID().uuidString).\(stream)").path
    }

    /// Runs `pythia-chat` with `arguments` to its end: exit status and stderr.
    static func runToEnd(_ arguments: [String], secret: String = TestServer.secret) async throws -> (status: Int32, stderr: String) {
        let (status, _, stderr) = try await onOwnThread { try runBlocking(arguments, input: nil, secret: secret) }
        return (status, stderr)
    }

    /// Runs `pythia-chat` with `arguments` to its end, `input` (else nothing) on its standard
    /// input: exit status, stdout and stderr.
    static func run(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await onOwnThread { try runBlocking(arguments, input: input, secret: TestServer.secret) }
    }

    private static func runBlocking(
        _ arguments: [String], input: String?, secret: String
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let files = Subprocess.Files(input: scratchPath("in"), output: scratchPath("out"), error: scratchPath("err"))
        defer { for path in [files.input, files.output, files.error] { try? FileManager.default.removeItem(atPath: path) } }
        try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: files.input))
        let status = try Subprocess(binary.path, arguments, environment: ["PYTHIA_JWT_SECRET": secret], files: files).wait()
        func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return (status, text(files.output), text(files.error))
    }

    /// Sends `signal` to the server.
    func signal(_ signal: Int32) {
        process.signal(signal)
    }

    func kill9() async {
        process.signal(SIGKILL)
        await waitUntilExit()
    }

    /// Waits for the server to end; returns its exit status.
    @discardableResult
    func waitUntilExit() async -> Int32 {
        if let status = exit.withLock({ $0 }) { return status }
        let status = await process.exitStatus()
        exit.withLock { $0 = status }
        return status
    }
}

@Suite("Process")
struct ProcessTests {
    @Test func serveListensAndEveryAcknowledgedMessageSurvivesKill9() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("chat.sqlite").path

        let first = try await ServeProcess.start(database: database)
        #expect(first.baseURL.hasPrefix("http://127.0.0.1:"))
        let client = RESTClient(base: first.baseURL)
        _ = try await client.request(.POST, "/api/v1/auth/register", json: #"{"username":"alice","email":"a@example.com","password":"password-123"}"#)
        let token = try PythiaJSON.decode(TokenResponse.self, from: try await client.request(.POST, "/api/v1/auth/login", json: #"{"username":"alice","password":"password-123"}"#).body).accessToken
        let channel = try PythiaJSON.decode(Channel.self, from: try await client.request(.POST, "/api/v1/channels/", json: #"{"name":"durable"}"#, token: token).body)
        var acknowledged: [String] = []
        for index in 0..<15 {
            let result = try await client.request(.POST, "/api/v1/messages/", json: #"{"channel_id":"\#(channel.id)","content":"m\#(index)"}"#, token: token)
            if result.status == 201 { acknowledged.append(try PythiaJSON.decode(Message.self, from: result.body).id) }
        }
        await first.kill9()
        #expect(acknowledged.count == 15)

        let second = try await ServeProcess.start(database: database)
        let history = try await RESTClient(base: second.baseURL)
            .request(.GET, "/api/v1/messages/?channel_id=\(channel.id)&limit=200", token: token)
        #expect(try PythiaJSON.decode([Message].self, from: history.body).map(\.id) == acknowledged)
        await second.kill9()
    }

    @Test func sigtermClosesSocketsWith1001AndStartupFailuresAreOneLine() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-term-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let running = try await ServeProcess.start(database: directory.appendingPathComponent("chat.sqlite").path)

        let failures: [([String], String, String)] = [
            (["--serve", "--port", "\(running.port)", "--db", directory.path + "/b.sqlite"], TestServer.secret, "already in use"),
            (["--serve", "--port", "0", "--db", directory.path + "/c.sqlite"], "too-short", "shorter than 32 bytes"),
            (["--serve", "--port", "0", "--db", "/proc/none/x.sqlite"], TestServer.secret, "cannot create the database directory"),
        ]
        for (arguments, secret, message) in failures {
            let (status, stderr) = try await ServeProcess.runToEnd(arguments, secret: secret)
            #expect(status != 0)
            #expect(stderr.contains(message), "stderr: \(stderr)")
            #expect(stderr.split(separator: "\n").count == 1, "one line: \(stderr)")
        }
        let corrupt = directory.path + "/corrupt.sqlite"
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: corrupt))
        let (status, stderr) = try await ServeProcess.runToEnd(["--serve", "--port", "0", "--db", corrupt])
        #expect(status != 0 && stderr.contains("not a pythia-chat database"))
        #expect(try await ServeProcess.runToEnd(["--serve", "--token-ttl", "soon"]).status != 0)
        // PostgreSQL: nothing listening, an unknown scheme, a pool size out of bounds.
        let closedPort = try RestartablePort.reserve()
        let unreachable = try await ServeProcess.runToEnd(["--serve", "--port", "0", "--db", "postgres://postgres:pw@127.0.0.1:\(closedPort)/chat"])
        #expect(unreachable.status != 0 && unreachable.stderr.contains("127.0.0.1:\(closedPort)") && !unreachable.stderr.contains("pw@"), "stderr: \(unreachable.stderr)")
        #expect(unreachable.stderr.split(separator: "\n").count == 1, "one line: \(unreachable.stderr)")
        let scheme = try await ServeProcess.runToEnd(["--serve", "--port", "0", "--db", "mysql://u@h/chat"])
        #expect(scheme.status != 0 && scheme.stderr.contains("unsupported database URL scheme 'mysql://'"), "stderr: \(scheme.stderr)")
        let pool = try await ServeProcess.runToEnd(["--serve", "--db-pool-size", "0"])
        #expect(pool.status != 0 && pool.stderr.contains("--db-pool-size"), "stderr: \(pool.stderr)")
        let badChannel = try await ServeProcess.runToEnd(["--serve", "--default-channel", "Bad Name"])
        #expect(badChannel.status != 0 && badChannel.stderr.contains("--default-channel"), "stderr: \(badChannel.stderr)")

        let client = RESTClient(base: running.baseURL)
        _ = try await client.request(.POST, "/api/v1/auth/register", json: #"{"username":"alice","email":"a@example.com","password":"password-123"}"#)
        let token = try PythiaJSON.decode(TokenResponse.self, from: try await client.request(.POST, "/api/v1/auth/login", json: #"{"username":"alice","password":"password-123"}"#).body).accessToken
        let socket = try await WSProbe.connect(url: "ws://127.0.0.1:\(running.port)/ws?token=\(token)")
        try await socket.next("connection_established")
        running.signal(SIGTERM)
        #expect(try await socket.closeFrame()?.closeCode == .goingAway)
        #expect(await running.waitUntilExit() == 0)
    }

    @Test(arguments: StorageKind.tested) func theSpecsPythonExampleClientWorksUnchanged(_ storage: StorageKind) async throws {
        guard await Self.pythonHasWebSockets("theSpecsPythonExampleClientWorksUnchanged") else { return }
        try await withTestServer(on: storage) { server in
            try await runSpecsPythonExample(against: server, uriBase: "ws://127.0.0.1:\(server.server.port)")
        }
    }

    @Test(arguments: StorageKind.tested) func theSpecsPythonExampleClientWorksOverWSS(_ storage: StorageKind) async throws {
        guard await Self.pythonHasWebSockets("theSpecsPythonExampleClientWorksOverWSS") else { return }
        let tls = try TLSFiles.make()
        defer { tls.remove() }
        try await TestServer.start(serving: tls, on: storage).whileRunning { server in
            // Python verifies wss:// against the authorities in SSL_CERT_FILE, as OpenSSL does.
            try await runSpecsPythonExample(
                against: server, uriBase: "wss://127.0.0.1:\(server.server.port)", environment: ["SSL_CERT_FILE": tls.caFile])
        }
    }

    /// Whether python3 can import websockets; prints why the test is skipped when not.
    private static func pythonHasWebSockets(_ test: String) async -> Bool {
        let check = try? Subprocess("python3", ["-c", "import websockets"])
        guard let check, await check.exitStatus() == 0 else {
            print("SKIPPED \(test): python3's websockets is not importable (pip install websockets)")
            return false
        }
        return true
    }

    /// Runs the example from websocket-api.md, with only the token, channel and address
    /// substituted, against `server`; it must see its join, then a message posted over REST.
    private func runSpecsPythonExample(against server: TestServer, uriBase: String, environment: [String: String] = [:]) async throws {
        let (_, token) = try await server.user("alice")
        let general = try await server.channel("general", token: token)
        let script = """
            import asyncio
            import websockets
            import json

            async def connect_to_chat():
                token = "\(token)"
                uri = f"\(uriBase)/ws?token={token}"

                async with websockets.connect(uri) as websocket:
                    # Join channel
                    await websocket.send(json.dumps({
                        "type": "join_channel",
                        "channel_id": "\(general.id)"
                    }))

                    # Listen for messages
                    async for message in websocket:
                        data = json.loads(message)
                        print(f"Received: {data}")

            asyncio.run(connect_to_chat())
            """
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-python-\(UUID().uuidString)").path
        defer { for path in [outputPath, outputPath + ".err"] { try? FileManager.default.removeItem(atPath: path) } }
        let python = try Subprocess(
            "python3", ["-c", script], environment: environment.merging(["PYTHONUNBUFFERED": "1"]) { $1 },
            files: .init(input: "/dev/null", output: outputPath, error: outputPath + ".err"))
        let exited = Mutex(false)
        Thread { python.wait(); exited.withLock { $0 = true } }.start()
        defer { python.signal(SIGTERM) }
        func output() -> String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
        func waitFor(_ needle: String) async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while !output().contains(needle) {
                let running = !exited.withLock { $0 }
                guard ContinuousClock.now < deadline, running else {
                    let stderr = running ? "" : (try? String(contentsOfFile: outputPath + ".err", encoding: .utf8)) ?? ""
                    throw ProbeTimeout(what: "'\(needle)' from the Python client; it printed: \(output()) \(stderr)")
                }
                // Polls the output of a real process.
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try await waitFor("'type': 'channel_joined'")
        #expect(output().contains("'type': 'connection_established'"))
        _ = try await server.post("hello python", in: general.id, token: token)
        try await waitFor("'content': 'hello python'")
        #expect(output().contains("'type': 'new_message'"))
    }
}
