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
    let directory: any ChatDirectory
    let stopServer: @Sendable () async -> Void

    func prepare(subscribers: Int, channels: Int, senders: Int) async throws -> BenchAudience {
        // A run-unique prefix keeps names free on a server that outlives the run.
        let run = String(UUID().uuidString.prefix(8)).lowercased()
        let directory = directory
        let owner = try await directory.account("pb\(run)-owner")
        var created: [(id: String, name: String)] = []
        for index in 0..<channels {
            let name = "pb-\(run)-\(index)"
            created.append((try await directory.createChannel(named: name, owner: owner), name))
        }
        let rooms = created
        let tokens = try await Self.concurrently(subscribers + senders, width: 16) { index in
            let account = try await directory.account("pb\(run)-\(index)")
            let room = rooms[index % channels]
            try await directory.join(channelID: room.id, name: room.name, member: account)
            return account.token
        }
        return BenchAudience(
            channels: rooms.map(\.id),
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
