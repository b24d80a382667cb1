/// The bare broadcast server of ``FloorServer``, started in this process.
struct FloorTarget: BenchTarget {
    let name = "floor"
    let host = "127.0.0.1"
    let serverPID: Int32? = nil
    let greeting = LoadPlan.Greeting.upgrade
    let bodyShape = LoadPlan.BodyShape.plainText
    private let server: RunningServer

    var port: Int { server.port }

    static func start() async throws -> FloorTarget {
        FloorTarget(server: try await FloorServer.start())
    }

    func prepare(subscribers: Int, channels: Int, senders: Int) async throws -> BenchAudience {
        BenchAudience(
            channels: (0..<channels).map(String.init),
            subscribers: (0..<subscribers).map { .init(path: "/ws?channel=\($0 % channels)", channel: $0 % channels) },
            senders: (0..<senders).map { .init(path: "/publish?channel=\($0 % channels)", authorization: nil, channel: $0 % channels) }
        )
    }

    func stop() async { await server.stop() }
}
