import WSCore
import NIOWebSocket
import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Synchronization
import Testing

/// A real server on port 0 over a fresh database: a SQLite file in a temporary directory,
/// or a PostgreSQL database of its own.
struct TestServer: TestFixture {
    let server: ChatServer
    let directory: URL
    /// Where its data is: a second server started on it sees the same users and messages.
    let database: DatabaseLocation
    /// How REST calls verify the server, when it serves TLS.
    var clientTLS: TLSConfiguration? = nil
    static let secret = "test-secret-test-secret-test-secret-0123"

    static func start(
        on storage: StorageKind = .sqlite, _ adjust: (inout ServerConfiguration) throws -> Void = { _ in }
    ) async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            var configuration = ServerConfiguration(
                port: 0, databasePath: directory.appendingPathComponent("chat.sqlite").path, jwtSecret: secret, bcryptCost: 4)
            configuration.logger.logLevel = .warning
            if storage == .postgres {
                configuration.useSharedPostgres(try PostgresLocation(url: try await TestPostgres.freshDatabase()))
            }
            // Tests register and log in many users from one address; ThrottleTests set the
            // limits of API.md themselves.
            configuration.authRate = RateLimit(perSecond: 1000, burst: 1000)
            try adjust(&configuration)
            return TestServer(server: try await ChatServer.start(configuration), directory: directory, database: configuration.database)
        } catch {
            // Tests of refused configurations start servers that never run.
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    var base: String { server.baseURL }
    var wsBase: String { "ws://127.0.0.1:\(server.port)/ws" }

    func stop() async {
        await server.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    func tearDown() async { await stop() }

    /// One HTTP exchange with this server.
    @discardableResult
    func request(
        _ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = nil,
        contentType: String = "application/json"
    ) async throws -> HTTPResult {
        try await RESTClient(base: base, tls: clientTLS).request(method, path, json: json, token: token, contentType: contentType)
    }

    /// Registers `name` (password `password-123`) and logs in.
    func user(_ name: String) async throws -> (user: User, token: String) {
        let registered = try await request(.POST, "/api/v1/auth/register",
            json: #"{"username":"\#(name)","email":"\#(name)@example.com","password":"password-123"}"#)
        #expect(registered.status == 201)
        let login = try await request(.POST, "/api/v1/auth/login", json: #"{"username":"\#(name)","password":"password-123"}"#)
        let token = try login.decode(TokenResponse.self)
        return (token.user, token.accessToken)
    }

    /// Creates a channel owned by `token`'s user.
    func channel(_ name: String, isPrivate: Bool = false, token: String) async throws -> PythiaProtocol.Channel {
        try await request(.POST, "/api/v1/channels/", json: #"{"name":"\#(name)","is_private":\#(isPrivate)}"#, token: token)
            .decode(PythiaProtocol.Channel.self)
    }

    func post(_ content: String, in channelId: String, token: String, clientId: String? = nil) async throws -> HTTPResult {
        let body = PostMessageRequest(channelId: channelId, content: content, clientId: clientId)
        return try await request(.POST, "/api/v1/messages/", json: String(decoding: try PythiaJSON.encode(body), as: UTF8.self), token: token)
    }

    func connect(_ token: String) async throws -> WSProbe {
        try await WSProbe.connect(url: "\(wsBase)?token=\(token)")
    }

    /// Waits (up to 10 s) until the server counts `count` WebSockets. The hub registers a
    /// socket after its handshake and forgets it after its close, each in its own time.
    func waitForWebSocketConnections(_ count: Int) async throws {
        try await waitUntilGauge("pythia_websocket_connections", is: count)
    }

    /// Waits (up to 10 s) until the server's metrics show the gauge `name` at `value`. Read in
    /// process: a loaded machine's HTTP round trip is no part of the wait.
    func waitUntilGauge(_ name: String, is value: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var lines: [Substring] = []
        while ContinuousClock.now < deadline {
            lines = server.metricsExposition.split(separator: "\n").filter { $0.hasPrefix(name + " ") }
            // A gauge is printed as a floating-point number: "2.0".
            if lines.count == 1, Double(lines[0].dropFirst(name.count + 1)) == Double(value) { return }
            // Polls state the server owns.
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ProbeTimeout(what: "\(name) \(value); the server says \(lines)")
    }
}

/// Runs `body` against a fresh server (as `TestServer.start` makes it) and awaits its stop on
/// every path, so that no server outlives its test.
func withTestServer<Result>(
    on storage: StorageKind = .sqlite, _ adjust: (inout ServerConfiguration) throws -> Void = { _ in },
    run body: (TestServer) async throws -> Result
) async throws -> Result {
    try await TestServer.start(on: storage, adjust).whileRunning(body)
}

/// REST calls to a server, in this process or another.
struct RESTClient {
    let base: String
    /// The shared client pools keep-alive connections per host and port: a server restarted
    /// on the same port needs a client of its own, or a pooled connection to the old one,
    /// closed but not yet noticed as closed, may be picked ("I/O on closed channel").
    var client: HTTPClient = .shared
    /// How an https server is verified; `nil` for the system's trust store.
    var tls: TLSConfiguration? = nil

    /// One HTTP exchange: the status, the body and the headers.
    @discardableResult
    func request(
        _ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = nil,
        contentType: String = "application/json"
    ) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: base + path)
        request.tlsConfiguration = tls
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 24)
        return HTTPResult(status: Int(response.status.code), body: Data(body.readableBytesView), headers: response.headers)
    }

}

/// What a REST call answered.
struct HTTPResult {
    let status: Int
    let body: Data
    let headers: HTTPHeaders

    func decode<T: JSONDecodable>(_ type: T.Type) throws -> T { try PythiaJSON.decode(type, from: body) }
    var error: APIErrorBody? { try? decode(APIErrorBody.self) }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A real WebSocket client that records every text frame it receives.
final class WSProbe: Sendable {
    private let received = Mutex<[String]>([])
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let run = Mutex<Task<WebSocketCloseFrame?, any Error>?>(nil)

    static func connect(url: String) async throws -> WSProbe {
        let probe = WSProbe()
        let task = Task {
            defer { probe.done.withLock { $0 = true } }
            return try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 1 << 20), logger: Logger(label: "probe")
            ) { inbound, outbound, _ in
                probe.writer.withLock { $0 = outbound }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { probe.received.withLock { $0.append(text) } }
                }
            }
        }
        probe.run.withLock { $0 = task }
        try await probe.waitUntil("the connection to open") { probe.writer.withLock { $0 != nil } || probe.finished }
        if probe.writer.withLock({ $0 == nil }) { _ = try await task.value }
        return probe
    }

    private let done = Mutex(false)
    /// Whether the connection has ended.
    var finished: Bool { done.withLock { $0 } }

    /// Every frame so far, decoded.
    var frames: [[String: Any]] {
        received.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func frames(ofType type: String) -> [[String: Any]] { frames.filter { $0["type"] as? String == type } }

    /// Waits (up to `limit`) for the `count`-th frame of `type` and returns it.
    @discardableResult
    func next(
        _ type: String, count: Int = 1, within limit: Duration = .seconds(15),
        where predicate: @escaping @Sendable ([String: Any]) -> Bool = { _ in true }
    ) async throws -> [String: Any] {
        try await waitUntil("\(count) '\(type)' frame(s)", within: limit) { self.frames(ofType: type).filter(predicate).count >= count }
        return frames(ofType: type).filter(predicate)[count - 1]
    }

    /// Sends a `ping` and waits for its `pong`: every frame queued to this socket before the
    /// ping was answered has arrived.
    func barrier() async throws {
        let pongs = frames(ofType: "pong").count
        try await send(#"{"type":"ping"}"#)
        try await next("pong", count: pongs + 1)
    }

    func send(_ text: String) async throws {
        try await writer.withLock { $0 }!.write(.text(text))
    }

    func sendBinary(_ bytes: [UInt8]) async throws {
        try await writer.withLock { $0 }!.write(.binary(ByteBuffer(bytes: bytes)))
    }

    func close() async {
        try? await writer.withLock { $0 }?.close(.normalClosure, reason: nil)
        _ = try? await run.withLock { $0 }?.value
    }

    /// The close frame the server sent, once the connection has ended (up to 20 s; then the
    /// connection is cancelled, since awaiting it alone would wait for ever).
    func closeFrame() async throws -> WebSocketCloseFrame? {
        guard let task = run.withLock({ $0 }) else { return nil }
        let watchdog = Task {
            // A timeout, not a wait: the close usually comes long before.
            try await Task.sleep(for: .seconds(20))
            task.cancel()
        }
        let result = await task.result
        watchdog.cancel()
        if case .success = await watchdog.result { throw ProbeTimeout(what: "the connection to close") }
        return try result.get()
    }

    func waitUntil(_ what: String, within limit: Duration = .seconds(15), _ condition: @escaping @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            guard ContinuousClock.now < deadline else { throw ProbeTimeout(what: what) }
            // Polls: the frames come in on the client's own event loop.
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

struct ProbeTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Expects a REST error with this status and code.
func expectError(_ result: HTTPResult, _ status: Int, _ code: ErrorCode, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == status, "body: \(result.text)", sourceLocation: sourceLocation)
    #expect(result.error?.code == code, "body: \(result.text)", sourceLocation: sourceLocation)
}

/// Runs blocking work (a socket read, waiting for a process) on a thread of its own, so that
/// it never holds one of the few threads the server under test runs its tasks on.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

extension ServerConfiguration {
    /// History in `location`, on the PostgreSQL that the whole suite shares.
    mutating func useSharedPostgres(_ location: PostgresLocation) {
        database = .postgres(location)
        // The whole suite at once on two cores: a slow answer is load, not an outage
        // (DatabaseOutageTests sets a short one).
        databaseTimeout = .seconds(30)
        // Hundreds of test servers share one PostgreSQL: a few connections each is plenty.
        databasePoolSize = 4
    }
}
