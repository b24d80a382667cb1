import AsyncHTTPClient
import Foundation
import PythiaProtocol

/// pythia-chat's server, in this process or at a URL: subscribers are distinct users, each a
/// member of one channel and holding one authenticated WebSocket; senders are users posting
/// with `POST /api/v1/messages/`.
struct ChatTarget: BenchTarget {
    let name = "pythia"
    let host: String
    let port: Int
    let serverPID: Int32?
    let greeting = LoadPlan.Greeting.firstFrame
    let bodyShape = LoadPlan.BodyShape.chatMessage
    /// Gives a fresh user's token.
    let makeAccount: @Sendable (_ username: String) async throws -> String
    let stopServer: @Sendable () async -> Void

    func prepare(subscribers: Int, channels: Int, senders: Int) async throws -> Audience {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        defer { _ = client.shutdown() }
        let admin = ChatAdmin(baseURL: "http://\(host):\(port)", client: client)
        // A run-unique prefix keeps names free on a server that outlives the run.
        let run = String(UUID().uuidString.prefix(8)).lowercased()
        let ownerToken = try await makeAccount("pb\(run)-owner")
        var created: [String] = []
        for index in 0..<channels {
            created.append(try await admin.createChannel(named: "pb-\(run)-\(index)", token: ownerToken).id)
        }
        let channelIDs = created
        let tokens = try await Self.concurrently(subscribers + senders, width: 16) { index in
            let token = try await makeAccount("pb\(run)-\(index)")
            try await admin.join(channelID: channelIDs[index % channels], token: token)
            return token
        }
        return Audience(
            channels: channelIDs,
            subscribers: (0..<subscribers).map { .init(path: "/ws?token=\(tokens[$0])", channel: $0 % channels) },
            senders: (0..<senders).map { sender in
                let index = subscribers + sender
                return .init(path: "/api/v1/messages/", authorization: "Bearer \(tokens[index])", channel: index % channels)
            }
        )
    }

    func stop() async { await stopServer() }

    /// `body(0..<count)`, `width` at a time, results in index order.
    private static func concurrently(
        _ count: Int, width: Int, _ body: @escaping @Sendable (Int) async throws -> String
    ) async throws -> [String] {
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var results = [String](repeating: "", count: count)
            var next = 0
            while next < min(width, count) {
                let index = next
                group.addTask { (index, try await body(index)) }
                next += 1
            }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < count {
                    let index = next
                    group.addTask { (index, try await body(index)) }
                    next += 1
                }
            }
            return results
        }
    }
}
