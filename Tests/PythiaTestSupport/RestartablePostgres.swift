import Foundation

/// A PostgreSQL cluster of one test's own, on a ``RestartablePort``, that the test stops and
/// starts again under a running server (the shared one of ``TestPostgres`` must stay up).
public final class RestartablePostgres: Sendable {
    private let directory: String
    private var data: String { directory + "/data" }
    /// The port it listens on, the same after a restart.
    public let port: Int

    /// Creates and starts the cluster, with one database named `pythia`.
    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-pg-own-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { try TestPostgres.run("chown", ["postgres", directory]) }
        try TestPostgres.run("initdb", ["-D", directory + "/data", "-A", "trust", "-U", "postgres", "--no-sync"], asServerOwner: true)
        port = try RestartablePort.reserve()
        try start()
        try TestPostgres.run("psql", ["-X", "-q", "-d", "postgres://postgres@127.0.0.1:\(port)/postgres", "-c", "CREATE DATABASE pythia"])
    }

    /// `postgres://postgres@127.0.0.1:PORT/pythia`.
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/pythia" }

    /// Starts the server; returns once it accepts connections.
    public func start() throws {
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off"
        try TestPostgres.run("pg_ctl", ["-D", data, "-l", directory + "/log", "-w", "-o", options, "start"], asServerOwner: true)
    }

    /// Stops the server at once, as a crash or a lost machine would (`-m immediate`).
    public func stop() throws {
        try TestPostgres.run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], asServerOwner: true)
    }

    /// Stops the server if it runs and deletes its files.
    public func remove() {
        _ = try? stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
