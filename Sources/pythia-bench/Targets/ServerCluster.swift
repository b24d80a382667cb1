import Foundation
import PythiaServer

/// pythia-chat's server as a deployment runs it on several processes: N `pythia-chat --serve`
/// processes on one PostgreSQL database with one token secret, each with its own open-file
/// limit. Subscribers and senders are spread over the processes in turn, so a post usually
/// reaches most of its subscribers through another process.
///
/// A `--serve` process keeps its default rate limits (no flag raises them): 10 posts a second
/// per user, so a run needs enough senders for its rate. Accounts and channels are made by a
/// server in this process on the same database and secret, stopped before the load starts
/// (registering thousands over REST would meet the per-address login throttle).
struct ServerCluster: BenchTarget {
    let host = "127.0.0.1"
    let greeting = LoadPlan.Greeting.firstFrame
    let bodyShape = LoadPlan.BodyShape.chatMessage
    let processes: [ServeChildProcess]
    private let database: DatabaseLocation
    private let jwtSecret: String
    private let logDirectory: URL

    var name: String { "pythia, \(processes.count) process" + (processes.count == 1 ? "" : "es") }
    var port: Int { processes.first?.port ?? 0 }
    /// Nil: the server is several processes, ``serverPIDs``.
    var serverPID: Int32? { nil }
    var serverPIDs: [Int32] { processes.map(\.pid) }

    /// REST writes a second per user that a `--serve` process allows.
    static var postsPerSecondPerUser: Double { ServerConfiguration(databasePath: "").restWriteRate.perSecond }

    /// Starts `count` processes of `binary` on the PostgreSQL database at `databaseURL`, one
    /// after the other (the first creates the schema), each allowed `poolSize` database
    /// connections. The URL goes in their environment, where `ps` does not show a password.
    static func start(count: Int, binary: String, databaseURL: String, poolSize: Int) async throws -> ServerCluster {
        let database = try DatabaseLocation.parse(databaseURL)
        let logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-bench-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let jwtSecret = UUID().uuidString + UUID().uuidString
        var processes: [ServeChildProcess] = []
        do {
            for index in 0..<count {
                processes.append(try await ServeChildProcess.start(
                    binary: binary,
                    arguments: [
                        "--db-pool-size", "\(poolSize)", "--default-channel", "",
                        // Benchmark accounts never log in with a password.
                        "--bcrypt-cost", "4",
                    ],
                    environment: ["PYTHIA_JWT_SECRET": jwtSecret, DatabaseLocation.environmentKey: databaseURL],
                    logPath: logDirectory.appendingPathComponent("serve-\(index).log").path))
            }
        } catch {
            for process in processes { await process.stop() }
            try? FileManager.default.removeItem(at: logDirectory)
            throw error
        }
        return ServerCluster(processes: processes, database: database, jwtSecret: jwtSecret, logDirectory: logDirectory)
    }

    func prepare(subscribers: Int, channels: Int, senders: Int) async throws -> BenchAudience {
        let setup = try await InProcessServer.start(database: database, jwtSecret: jwtSecret)
        var audience: BenchAudience
        do {
            audience = try await setup.prepare(subscribers: subscribers, channels: channels, senders: senders)
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
        let ports = processes.map(\.port)
        for index in audience.subscribers.indices { audience.subscribers[index].port = ports[index % ports.count] }
        for index in audience.senders.indices { audience.senders[index].port = ports[index % ports.count] }
        return audience
    }

    func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for process in processes { group.addTask { await process.stop() } }
        }
        try? FileManager.default.removeItem(at: logDirectory)
    }
}
