import ArgumentParser
import PythiaServer

/// A bare broadcast server started in this process, which the full server is measured
/// against.
struct FloorTarget: BenchTarget {
    /// Which bare server.
    enum Kind: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// ``FloorServer``: Hummingbird's WebSocket broadcast, the framework's floor.
        case hummingbird
        /// ``EpollBroadcastServer``: epoll and system calls alone on one thread, the shape of
        /// the bare C server the performance issue measured.
        case epoll

        /// What reports call it.
        var title: String {
            switch self {
            case .hummingbird: "bare Hummingbird broadcast"
            case .epoll: "bare epoll broadcast"
            }
        }
    }

    let name: String
    let host = "127.0.0.1"
    let port: Int
    let serverPID: Int32? = nil
    let greeting = LoadPlan.Greeting.upgrade
    let bodyShape = LoadPlan.BodyShape.plainText
    private let stopServer: @Sendable () async -> Void

    /// Starts a bare server of `kind` on an ephemeral port, with the chat server's listen
    /// queue: a storm meets the same queue on both.
    static func start(_ kind: Kind = .hummingbird) async throws -> FloorTarget {
        switch kind {
        case .hummingbird:
            let server = try await FloorServer.start()
            return FloorTarget(name: "floor", port: server.port, stopServer: { await server.stop() })
        case .epoll:
            let backlog = Int32(clamping: ServerConfiguration(databasePath: "").listenBacklog)
            let server = try EpollBroadcastServer.start(backlog: backlog)
            return FloorTarget(name: "epoll floor", port: server.port, stopServer: { await server.stop() })
        }
    }

    func prepare(subscribers: Int, channels: Int, senders: Int) async throws -> BenchAudience {
        BenchAudience(
            channels: (0..<channels).map(String.init),
            subscribers: (0..<subscribers).map { .init(path: "/ws?channel=\($0 % channels)", channel: $0 % channels) },
            senders: (0..<senders).map { .init(path: "/publish?channel=\($0 % channels)", authorization: nil, channel: $0 % channels) }
        )
    }

    func stop() async { await stopServer() }
}
