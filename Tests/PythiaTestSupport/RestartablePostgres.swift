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

    /// Suspends every process of the server (SIGSTOP): its sockets stay open and nothing is
    /// answered, as with a database behind a network that went silent. ``thaw()`` resumes it.
    public func freeze() throws { try signalEveryProcess(SIGSTOP) }

    /// Resumes a server suspended by ``freeze()``.
    public func thaw() throws { try signalEveryProcess(SIGCONT) }

    /// The postmaster (first line of `postmaster.pid`) and its children, from `/proc`.
    private func signalEveryProcess(_ signal: Int32) throws {
        let pidFile = try String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8)
        guard let postmaster = pidFile.split(separator: "\n").first.flatMap({ pid_t($0) }) else {
            throw TestPostgresError(message: "no postmaster pid in \(data)/postmaster.pid")
        }
        var processes = [postmaster]
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let afterName = stat.range(of: ") ", options: .backwards)
            else { continue }
            // Fields after the name: state, then the parent's pid.
            let fields = stat[afterName.upperBound...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == postmaster { processes.append(pid) }
        }
        for pid in processes { kill(pid, signal) }
    }

    /// Stops the server if it runs and deletes its files; blocks its thread, for clean-ups
    /// that cannot await (`defer`, `atexit`).
    public func remove() {
        // A suspended server takes no signal but SIGKILL until it is resumed.
        try? thaw()
        _ = try? TestPostgres.runBlocking("pg_ctl", Self.stopArguments(data), asServerOwner: true)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func stopArguments(_ data: String) -> [String] { ["-D", data, "-m", "immediate", "-w", "stop"] }
}
