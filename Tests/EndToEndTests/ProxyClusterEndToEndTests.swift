import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTestSupport
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
        let server = try await ServerProcess(
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
}
