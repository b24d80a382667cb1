import Foundation
import Synchronization

/// PostgreSQL for the tests: the server `PYTHIA_TEST_POSTGRES_URL` names (`.ci/run` starts
/// one), else a throwaway cluster this test process starts on first use, in a temporary
/// directory, and stops when it exits.
///
/// Every caller gets a database of its own, so tests never see each other's rows.
public enum TestPostgres {
    /// The environment variable naming an existing server, as `postgres://USER@HOST:PORT/DB`.
    public static let environmentKey = "PYTHIA_TEST_POSTGRES_URL"

    /// The URL of a new, empty database.
    /// - Throws: ``TestPostgresError`` when no server is named and none can be started.
    public static func freshDatabase() async throws -> String {
        let server = try await serverURL()
        let name = "pythia_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", server, "-c", "CREATE DATABASE \(name)"])
        return replacingDatabase(of: server, with: name)
    }

    /// The maintenance URL of the server in use, starting the throwaway cluster if needed.
    public static func serverURL() async throws -> String {
        if let url = ProcessInfo.processInfo.environment[environmentKey], !url.isEmpty { return url }
        return try await ThrowawayCluster.shared.url()
    }

    /// `url` with its path (the database name) replaced.
    static func replacingDatabase(of url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }

    /// Runs a PostgreSQL program, as the `postgres` user when this process is root (the
    /// server refuses to run as root); throws with its output when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], asServerOwner: Bool = false) throws -> String {
        // A file, not a pipe, for the output: the server that `pg_ctl start` leaves running
        // would hold a pipe's write end open, and reading to its end would never return.
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-pg-output-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let path = executable(program), asPostgres = asServerOwner && getuid() == 0
        let process = try Subprocess(
            asPostgres ? "runuser" : path, asPostgres ? ["-u", "postgres", "--", path] + arguments : arguments,
            files: .init(input: "/dev/null", output: outputPath, error: outputPath + ".err"))
        let status = process.wait()
        let text = [outputPath, outputPath + ".err"].compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.joined()
        try? FileManager.default.removeItem(atPath: outputPath + ".err")
        guard status == 0 else {
            throw TestPostgresError(message: "\(program) \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
        return text
    }
}

extension TestPostgres {
    /// The path of a PostgreSQL program: on `PATH`, else in the newest
    /// `/usr/lib/postgresql/VERSION/bin`, where Debian's packages keep the server's programs.
    static func executable(_ name: String) -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
        let candidates = path + versions.map { "/usr/lib/postgresql/\($0)/bin" }
        return candidates.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? name
    }
}

/// PostgreSQL could not be reached or started for the tests.
public struct TestPostgresError: Error, CustomStringConvertible {
    /// What failed, and the program's output.
    public let message: String
    public var description: String {
        "\(message)\nPostgreSQL is needed for these tests: install it (apt-get install -y postgresql) or set \(TestPostgres.environmentKey)."
    }
}

/// The cluster started by this test process, shared by all its tests.
private actor ThrowawayCluster {
    static let shared = ThrowawayCluster()
    /// The data directory to stop at exit; `atexit` takes no context, so it lives here.
    static let dataDirectory = Mutex<String?>(nil)
    private var started: Result<String, TestPostgresError>?

    func url() throws -> String {
        let result = started ?? Result { try start() }.mapError { $0 as? TestPostgresError ?? TestPostgresError(message: "\($0)") }
        started = result
        return try result.get()
    }

    private func start() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { try TestPostgres.run("chown", ["postgres", directory]) }
        let data = directory + "/data"
        try TestPostgres.run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"], asServerOwner: true)
        let port = try RestartablePort.reserve()
        // fsync off: a throwaway cluster whose machine never crashes under it; tests of the
        // server's own durability kill the server, not PostgreSQL.
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=1000"
        try TestPostgres.run("pg_ctl", ["-D", data, "-l", directory + "/log", "-w", "-o", options, "start"], asServerOwner: true)
        Self.dataDirectory.withLock { $0 = data }
        atexit {
            guard let data = ThrowawayCluster.dataDirectory.withLock({ $0 }) else { return }
            _ = try? TestPostgres.run("pg_ctl", ["-D", data, "-m", "immediate", "stop"], asServerOwner: true)
            try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent)
        }
        return "postgres://postgres@127.0.0.1:\(port)/postgres"
    }
}
