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

/// The cluster started by this test process, shared by all its tests: a
/// ``RestartablePostgres`` that is never restarted, stopped when the process exits.
private actor ThrowawayCluster {
    static let shared = ThrowawayCluster()
    /// The cluster to stop at exit; `atexit` takes no context, so it lives here.
    static let stoppedAtExit = Mutex<RestartablePostgres?>(nil)
    private var started: Result<RestartablePostgres, TestPostgresError>?

    func url() throws -> String {
        let result = started ?? Result { try start() }.mapError { $0 as? TestPostgresError ?? TestPostgresError(message: "\($0)") }
        started = result
        return try result.get().serverURL
    }

    private func start() throws -> RestartablePostgres {
        let cluster = try RestartablePostgres()
        Self.stoppedAtExit.withLock { $0 = cluster }
        atexit { ThrowawayCluster.stoppedAtExit.withLock { $0 }?.remove() }
        return cluster
    }
}
