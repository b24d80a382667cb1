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
        try await run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", server, "-c", "CREATE DATABASE \(name)"])
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
    /// server refuses to run as root); throws with its output when it fails. It is waited for
    /// on a thread of its own: `initdb`, `pg_ctl` and `CREATE DATABASE` take seconds on a
    /// loaded machine, and a blocking wait on one of the two threads of Swift's cooperative
    /// pool would stall every other test meanwhile.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], asServerOwner: Bool = false) async throws -> String {
        let child = try ProgramRun(program, arguments, asServerOwner: asServerOwner)
        return try child.output(status: await child.process.exitStatus())
    }

    /// ``run(_:_:asServerOwner:)`` blocking the calling thread: only for clean-ups that
    /// cannot await (`defer`, `atexit`).
    @discardableResult
    static func runBlocking(_ program: String, _ arguments: [String], asServerOwner: Bool = false) throws -> String {
        let child = try ProgramRun(program, arguments, asServerOwner: asServerOwner)
        return try child.output(status: child.process.wait())
    }
}

/// One run of a PostgreSQL program, its output going to files.
private struct ProgramRun {
    let process: Subprocess
    private let description: String
    private let outputPath: String

    init(_ program: String, _ arguments: [String], asServerOwner: Bool) throws {
        // A file, not a pipe, for the output: the server that `pg_ctl start` leaves running
        // would hold a pipe's write end open, and reading to its end would never return.
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-pg-output-\(UUID().uuidString)").path
        description = "\(program) \(arguments.joined(separator: " "))"
        let path = TestPostgres.executable(program), asPostgres = asServerOwner && getuid() == 0
        process = try Subprocess(
            asPostgres ? "runuser" : path, asPostgres ? ["-u", "postgres", "--", path] + arguments : arguments,
            files: .init(input: "/dev/null", output: outputPath, error: outputPath + ".err"))
    }

    /// What the program printed, once it has ended with `status`; throws unless that is 0.
    func output(status: Int32) throws -> String {
        let text = [outputPath, outputPath + ".err"].compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.joined()
        for path in [outputPath, outputPath + ".err"] { try? FileManager.default.removeItem(atPath: path) }
        guard status == 0 else { throw TestPostgresError(message: "\(description) failed (\(status)): \(text)") }
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
    /// The start, shared by every caller: the first one begins it, the others wait for it.
    private var starting: Task<RestartablePostgres, any Error>?

    func url() async throws -> String {
        let task = starting ?? Task { try await Self.start() }
        starting = task
        do {
            return try await task.value.serverURL
        } catch {
            throw error as? TestPostgresError ?? TestPostgresError(message: "\(error)")
        }
    }

    private static func start() async throws -> RestartablePostgres {
        let cluster = try await RestartablePostgres()
        Self.stoppedAtExit.withLock { $0 = cluster }
        atexit { ThrowawayCluster.stoppedAtExit.withLock { $0 }?.remove() }
        return cluster
    }
}
