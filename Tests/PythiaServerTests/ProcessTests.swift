import Foundation
import Logging
import NIOHTTP1
import PythiaProtocol
@testable import PythiaServer
import Synchronization
import Testing

/// The built `pythia-chat` binary, run as a separate process.
final class ServeProcess: Sendable {
    let process: Process
    let baseURL: String
    private let output: Mutex<String>

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pythia-chat")
    }

    init(database: String) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["--serve", "--port", "0", "--db", database]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHIA_JWT_SECRET"] = TestServer.secret
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = pipe.fileHandleForReading
        while !text.contains("\n"), case let chunk = handle.availableData, !chunk.isEmpty {
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: "listening on ") else { throw ProbeTimeout(what: "the server to listen") }
        baseURL = String(text[range.upperBound...].prefix { !$0.isWhitespace })
        output = Mutex(text)
        self.process = process
    }

    var port: Int { Int(baseURL.split(separator: ":").last ?? "") ?? 0 }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
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

        let first = try ServeProcess(database: database)
        #expect(first.baseURL.hasPrefix("http://127.0.0.1:"))
        let client = RESTClient(base: first.baseURL)
        _ = try await client.request(.POST, "/api/v1/auth/register", json: #"{"username":"alice","email":"a@example.com","password":"password-123"}"#)
        let token = try PythiaJSON.decode(TokenResponse.self, from: try await client.request(.POST, "/api/v1/auth/login", json: #"{"username":"alice","password":"password-123"}"#).body).accessToken
        let channel = try PythiaJSON.decode(Channel.self, from: try await client.request(.POST, "/api/v1/channels/", json: #"{"name":"general"}"#, token: token).body)
        var acknowledged: [String] = []
        for index in 0..<15 {
            let result = try await client.request(.POST, "/api/v1/messages/", json: #"{"channel_id":"\#(channel.id)","content":"m\#(index)"}"#, token: token)
            if result.status == 201 { acknowledged.append(try PythiaJSON.decode(Message.self, from: result.body).id) }
        }
        first.kill9()
        #expect(acknowledged.count == 15)

        let second = try ServeProcess(database: database)
        defer { second.kill9() }
        let history = try await RESTClient(base: second.baseURL)
            .request(.GET, "/api/v1/messages/?channel_id=\(channel.id)&limit=200", token: token)
        #expect(try PythiaJSON.decode([Message].self, from: history.body).map(\.id) == acknowledged)
    }

    @Test func theSpecsPythonExampleClientWorksUnchanged() async throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import websockets"]
        check.standardError = FileHandle.nullDevice
        try? check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            print("SKIPPED theSpecsPythonExampleClientWorksUnchanged: python3's websockets is not importable (pip install websockets)")
            return
        }
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let (_, token) = try await server.user("alice")
        let general = try await server.channel("general", token: token)
        // The example from websocket-api.md, with only the token, channel and address substituted.
        let script = """
            import asyncio
            import websockets
            import json

            async def connect_to_chat():
                token = "\(token)"
                uri = f"ws://127.0.0.1:\(server.server.port)/ws?token={token}"

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
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script]
        python.environment = ProcessInfo.processInfo.environment.merging(["PYTHONUNBUFFERED": "1"]) { $1 }
        let pipe = Pipe()
        python.standardOutput = pipe
        let output = Mutex("")
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.withLock { $0 += text }
        }
        try python.run()
        defer { python.terminate() }
        func waitFor(_ needle: String) async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while !output.withLock({ $0.contains(needle) }) {
                guard ContinuousClock.now < deadline, python.isRunning else {
                    throw ProbeTimeout(what: "'\(needle)' from the Python client; it printed: \(output.withLock { $0 })")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        try await waitFor("'type': 'channel_joined'")
        #expect(output.withLock { $0 }.contains("'type': 'connection_established'"))
        _ = try await server.post("hello python", in: general.id, token: token)
        try await waitFor("'content': 'hello python'")
        #expect(output.withLock { $0 }.contains("'type': 'new_message'"))
    }
}

