import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PythiaClient
import PythiaProtocol
import PythiaTestSupport
import Synchronization
import Testing

/// pythia-chat behind a real nginx configured by `deploy/nginx/pythia-chat.conf`, as
/// Docs/deploy.md tells operators to run it.
@Suite(.serialized) struct ProxyClusterEndToEndTests {
    static let environment = ["PYTHIA_JWT_SECRET": String(repeating: "proxy-secret-", count: 3)]

    @Test(.timeLimit(.minutes(2)))
    func restAndWebSocketPassThroughTheProxy() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-proxy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try await ServeProcess.startForEndToEnd(
            port: 0, database: directory + "/chat.sqlite", environment: Self.environment, arguments: ["--trusted-proxy", "127.0.0.1"])
        defer { server.kill() }
        let proxy = try await NginxProxy(upstreamPorts: [server.port])
        defer { proxy.stop() }

        let endpoint = try ServerEndpoint(proxy.baseURL)
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        _ = try await anonymous.register(username: "erin", email: "erin@example.com", password: "erin-password")
        let token = try await anonymous.login(username: "erin", password: "erin-password").accessToken
        let channel = try await APIClient(endpoint: endpoint, token: token).createChannel(name: "through-proxy")

        let connection = RealtimeConnection(endpoint: endpoint, credentials: .fixed(token))
        let runner = Task { await connection.run() }
        defer { runner.cancel() }
        var events = connection.events.makeAsyncIterator()
        var connected = false
        var seen: [String] = []
        while let event = await events.next() {
            seen.append("\(event)")
            if case .state(.connected) = event { connected = true; break }
        }
        #expect(connected, "\(seen) nginx: \(proxy.errorLog)")
        _ = try await APIClient(endpoint: endpoint, token: token).postMessage(channelId: channel.id, content: "via nginx", clientId: nil)
        var delivered: Message?
        while let event = await events.next() {
            if case .frame(_, .newMessage(let message)?) = event { delivered = message.data; break }
        }
        #expect(delivered?.content == "via nginx")
    }

    /// The proxy's main job: a chat client through nginx loses the process it is on
    /// (kill -9), comes back through nginx on the other, and misses nothing; the dead
    /// process's users go offline for everyone, announced by the survivor.
    @Test(.timeLimit(.minutes(3)))
    func aClientThroughTheProxyMovesToTheSurvivingProcessAndMissesNothing() async throws {
        let database = try await TestPostgres.freshDatabase()
        let first = try await ServeProcess.startForEndToEnd(port: 0, database: database, environment: Self.environment, arguments: ["--trusted-proxy", "127.0.0.1"])
        defer { first.kill() }
        let second = try await ServeProcess.startForEndToEnd(port: 0, database: database, environment: Self.environment, arguments: ["--trusted-proxy", "127.0.0.1"])
        defer { second.kill() }
        let proxy = try await NginxProxy(upstreamPorts: [first.port, second.port])
        defer { proxy.stop() }
        let endpoint = try ServerEndpoint(proxy.baseURL)

        let anonymous = APIClient(endpoint: endpoint, token: nil)
        var tokens: [String: String] = [:]
        for name in ["alice", "bob", "carol", "dave"] {
            _ = try await anonymous.register(username: name, email: "\(name)@example.com", password: "\(name)-password")
            tokens[name] = try await anonymous.login(username: name, password: "\(name)-password").accessToken
        }
        let ops = try await APIClient(endpoint: endpoint, token: tokens["alice"]).createChannel(name: "ops")
        for name in ["bob", "carol", "dave"] { _ = try await APIClient(endpoint: endpoint, token: tokens[name]).joinChannel(id: ops.id) }
        let bob = APIClient(endpoint: endpoint, token: tokens["bob"])
        let before = try await bob.postMessage(channelId: ops.id, content: "before", clientId: nil)

        var configuration = Session.Configuration()
        configuration.connection.policy = ReconnectPolicy(base: .milliseconds(100), cap: .seconds(1))
        let alice = Session(endpoint: endpoint, token: try #require(tokens["alice"]), configuration: configuration)
        await alice.start()
        try await waitFor("alice connected through the proxy with the history") {
            let state = await alice.state
            return state.connection == .connected && state.channel(named: "ops")?.messages.map(\.id) == [before.id]
        }
        // The process alice landed on is the one to kill; dave is connected to it directly
        // (nothing will bring him back), carol to the other.
        let aliceIsOnFirst = try await Self.webSocketCount(first.baseURL) == 1
        let (doomed, survivor) = aliceIsOnFirst ? (first, second) : (second, first)
        let dave = try await Self.listen(on: doomed.baseURL, token: try #require(tokens["dave"]))
        defer { dave.stop() }
        let carol = try await Self.listen(on: survivor.baseURL, token: try #require(tokens["carol"]))
        defer { carol.stop() }
        let daveId = try await APIClient(endpoint: endpoint, token: tokens["dave"]).me().id

        doomed.kill()
        let killedAt = ContinuousClock.now
        var missed: [String] = []
        for index in 1...5 {
            missed.append(try await bob.postMessage(channelId: ops.id, content: "during \(index)", clientId: nil).id)
        }
        try await waitFor("alice back through the proxy") { await alice.state.connection == .connected }
        let after = try await bob.postMessage(channelId: ops.id, content: "after", clientId: nil)
        try await waitFor("every message once, in order") {
            await alice.state.channel(named: "ops")?.messages.map(\.id) == [before.id] + missed + [after.id]
        }
        try await waitFor("dave offline, announced by the survivor", seconds: 20) {
            carol.events().contains { if case .userStatus(let status) = $0 { status.userId == daveId && status.status == .offline } else { false } }
        }
        #expect(ContinuousClock.now - killedAt < .seconds(15) + .seconds(2), "presence expires within 15 s of the kill")
        await alice.stop()
    }

    /// `pythia_websocket_connections` on one process.
    static func webSocketCount(_ base: String) async throws -> Int {
        let (data, _) = try await URLSession.shared.data(from: try #require(URL(string: base + "/metrics")))
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("pythia_websocket_connections ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }

    /// A connection that records every event it receives, until stopped.
    final class Listener: Sendable {
        private let received = Mutex<[ServerEvent]>([])
        private let tasks = Mutex<[Task<Void, Never>]>([])

        func events() -> [ServerEvent] { received.withLock { $0 } }
        func stop() { tasks.withLock { for task in $0 { task.cancel() } } }

        /// Connects, and returns once the server has said `connection_established`.
        fileprivate func start(_ connection: RealtimeConnection) async {
            let (established, signal) = AsyncStream.makeStream(of: Void.self)
            tasks.withLock { tasks in
                tasks.append(Task { await connection.run() })
                tasks.append(Task {
                    for await event in connection.events {
                        guard case .frame(_, let decoded?) = event else { continue }
                        self.received.withLock { $0.append(decoded) }
                        if case .connectionEstablished = decoded { signal.yield() }
                    }
                })
            }
            var iterator = established.makeAsyncIterator()
            _ = await iterator.next()
        }
    }

    static func listen(on base: String, token: String) async throws -> Listener {
        let listener = Listener()
        await listener.start(RealtimeConnection(endpoint: try ServerEndpoint(base), credentials: .fixed(token)))
        return listener
    }

    private func waitFor(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))  // polls real processes
        }
        throw E2EFailure("timed out waiting for \(what)")
    }
}
