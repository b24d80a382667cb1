import Foundation

/// A throwaway PostgreSQL cluster in a temporary directory, on a ``RestartablePort``: the
/// shared one of ``TestPostgres``, which stays up, or one test's own, which the test stops
/// and starts again under a running server.
public final class RestartablePostgres: Sendable {
    private let directory: String
    private var data: String { directory + "/data" }
    /// The port it listens on, the same after a restart.
    public let port: Int

    /// Creates and starts the cluster, with one database named `pythia`.
    public init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { try await TestPostgres.run("chown", ["postgres", directory]) }
        try await TestPostgres.run("initdb", ["-D", directory + "/data", "-A", "trust", "-U", "postgres", "--no-sync"], asServerOwner: true)
        port = try RestartablePort.reserve()
        try await start()
        try await TestPostgres.run("psql", ["-X", "-q", "-d", serverURL, "-c", "CREATE DATABASE pythia"])
    }

    /// `postgres://postgres@127.0.0.1:PORT/pythia`.
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/pythia" }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`, the maintenance database.
    public var serverURL: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    /// Starts the server; returns once it accepts connections.
    public func start() async throws {
        // fsync off: a throwaway cluster whose machine never crashes under it; tests of the
        // server's own durability kill the server, not PostgreSQL. 400 connections: the
        // pools of all the tests that share ``TestPostgres``'s cluster at once.
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=1000"
        try await TestPostgres.run("pg_ctl", ["-D", data, "-l", directory + "/log", "-w", "-o", options, "start"], asServerOwner: true)
    }

    /// Stops the server at once, as a crash or a lost machine would (`-m immediate`).
    public func stop() async throws {
        try await TestPostgres.run("pg_ctl", Self.stopArguments(data), asServerOwner: true)
    }

    /// Stops the server if it runs and deletes its files; blocks its thread, for clean-ups
    /// that cannot await (`defer`, `atexit`).
    public func remove() {
        _ = try? TestPostgres.runBlocking("pg_ctl", Self.stopArguments(data), asServerOwner: true)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func stopArguments(_ data: String) -> [String] { ["-D", data, "-m", "immediate", "-w", "stop"] }
}
