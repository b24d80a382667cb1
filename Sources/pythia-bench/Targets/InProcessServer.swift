import Foundation
import Logging
import PythiaServer

/// Starts pythia's ``ChatServer`` in this process on an ephemeral port, with a fresh SQLite
/// file (or `database`) and limits raised so that the benchmark measures the server, not the
/// rate limiter. `jwtSecret` is needed only when other processes must accept its tokens.
enum InProcessServer {
    static func start(database: DatabaseLocation? = nil, jwtSecret: String? = nil) async throws -> ChatTarget {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("pythia-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "pythia-bench.server")
        logger.logLevel = .critical
        let unlimited = RateLimit(perSecond: 1_000_000, burst: 1_000_000)
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0,
            databasePath: directory.appendingPathComponent("bench.sqlite").path,
            jwtSecret: jwtSecret ?? UUID().uuidString + UUID().uuidString,
            frameRate: unlimited, restWriteRate: unlimited,
            // Benchmark accounts never log in with a password: the cheapest cost bcrypt allows.
            bcryptCost: 4,
            logger: logger)
        if let database { configuration.database = database }
        let server = try await ChatServer.start(configuration)
        return ChatTarget(
            host: "127.0.0.1", port: server.port, serverPID: nil, directory: LocalDirectory(server: server),
            stopServer: {
                await server.shutdown()
                try? FileManager.default.removeItem(at: directory)
            })
    }
}
