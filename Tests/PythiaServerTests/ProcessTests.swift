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
        first.kill()
        #expect(acknowledged.count == 15)

        let second = try await ServeProcess.start(database: database)
        let history = try await RESTClient(base: second.baseURL)
            .request(.GET, "/api/v1/messages/?channel_id=\(channel.id)&limit=200", token: token)
        #expect(try PythiaJSON.decode([Message].self, from: history.body).map(\.id) == acknowledged)
        second.kill()
    }

    /// A server that cannot start is reported as soon as it ends, with what it printed, not
    /// after the 30 s a slow start is given.
    @Test func aServerThatCannotStartIsReportedAtOnceWithItsMessage() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let started = ContinuousClock.now
        let error = await #expect(throws: SubprocessError.self) { try await ServeProcess.start(database: "/proc/none/x.sqlite") }
        #expect(error?.message.contains("cannot create the database directory") == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < .seconds(20))
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
