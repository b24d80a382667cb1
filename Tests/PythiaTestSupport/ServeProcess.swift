public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The built `pythia-chat` binary as a child process of the tests: a `--serve` that keeps
/// running (``start(port:database:arguments:secret:environment:)``), or any command run to
/// its end (``run(_:input:secret:environment:)``).
///
/// Started with posix_spawn (``Subprocess``), never Foundation's `Process`: its `run()`
/// copies the list of this process's open descriptors while other tests open and close
/// sockets by the thousand, and crashed the test process doing so.
public final class ServeProcess: Sendable {
    /// The JWT secret a child gets unless told otherwise: the same for every start, so a
    /// token outlives a restart on the same database.
    public static let secret = "serve-process-secret-0123456789abcdef"

    /// The built `pythia-chat` binary, beside the test bundle in the products directory.
    public static var binary: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("pythia-chat")
    }

    private let process: Subprocess
    private let exit = Mutex<Int32?>(nil)
    /// `http://127.0.0.1:PORT`, or `https://…` when started with `--tls-cert`.
    public let baseURL: String

    /// The port the server listens on.
    public var port: Int { Int(baseURL.split(separator: ":").last ?? "") ?? 0 }

    /// Starts `pythia-chat --serve --port PORT --db DATABASE ARGUMENTS` (port 0: any free
    /// port) and returns once it prints the address it listens on. The child gets this
    /// process's environment, `PYTHIA_JWT_SECRET` set to `secret` (with nil, unset unless
    /// inherited: the server keeps a secret of its own), then `environment`.
    ///
    /// - Throws: ``SubprocessError`` with what the server printed when it ended, or did not
    ///   start listening within 30 s.
    public static func start(
        port: Int = 0, database: String, arguments: [String] = [], secret: String? = ServeProcess.secret,
        environment: [String: String] = [:]
    ) async throws -> ServeProcess {
        // Output to files: nothing needs to drain them while the server runs.
        let files = Subprocess.Files(input: "/dev/null", output: scratchPath("out"), error: scratchPath("err"))
        defer { for path in [files.output, files.error] { try? FileManager.default.removeItem(atPath: path) } }
        let process = try Subprocess(
            binary.path, ["--serve", "--port", "\(port)", "--db", database] + arguments,
            environment: childEnvironment(secret: secret, environment), files: files)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let output = text(files.output)
            if let range = output.range(of: "listening on "),
               let end = output[range.upperBound...].firstIndex(where: \.isWhitespace) {
                return ServeProcess(process: process, baseURL: String(output[range.upperBound..<end]))
            }
            // A server that cannot start says why and ends: no need to wait out the 30 s.
            if process.hasEnded { break }
            // Real process timing: the child prints its address once it listens.
            try? await Task.sleep(for: .milliseconds(20))
        }
        process.signal(SIGKILL)
        _ = await process.exitStatus()
        throw SubprocessError(message: "pythia-chat --serve did not start listening: \(text(files.output))\(text(files.error))")
    }

    private init(process: Subprocess, baseURL: String) {
        self.process = process
        self.baseURL = baseURL
    }

    /// Runs `pythia-chat ARGUMENTS` to its end, with `input` (else nothing) on its standard
    /// input and the environment of ``start(port:database:arguments:secret:environment:)``:
    /// exit status, standard output and standard error.
    public static func run(
        _ arguments: [String], input: String? = nil, secret: String? = ServeProcess.secret, environment: [String: String] = [:]
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let files = Subprocess.Files(input: scratchPath("in"), output: scratchPath("out"), error: scratchPath("err"))
        defer { for path in [files.input, files.output, files.error] { try? FileManager.default.removeItem(atPath: path) } }
        try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: files.input))
        let status = try await Subprocess(
            binary.path, arguments, environment: childEnvironment(secret: secret, environment), files: files
        ).exitStatus()
        return (status, text(files.output), text(files.error))
    }

    /// ``run(_:input:secret:environment:)`` for a command whose standard output does not
    /// matter: exit status and standard error.
    public static func runToEnd(_ arguments: [String], secret: String = ServeProcess.secret) async throws -> (status: Int32, stderr: String) {
        let result = try await run(arguments, secret: secret)
        return (result.status, result.stderr)
    }

    /// Sends `signal` to the server.
    public func signal(_ signal: Int32) {
        process.signal(signal)
    }

    /// Kills the server outright, as a crash would (`SIGKILL`), and reaps it; once is enough.
    public func kill() {
        guard exit.withLock({ $0 }) == nil else { return }
        process.signal(SIGKILL)
        let status = process.wait()
        exit.withLock { $0 = status }
    }

    /// Waits for the server to end; returns its exit status.
    @discardableResult
    public func waitUntilExit() async -> Int32 {
        if let status = exit.withLock({ $0 }) { return status }
        let status = await process.exitStatus()
        exit.withLock { $0 = status }
        return status
    }

    private static func childEnvironment(secret: String?, _ environment: [String: String]) -> [String: String] {
        (secret.map { ["PYTHIA_JWT_SECRET": $0] } ?? [:]).merging(environment) { $1 }
    }

    /// A file name for one run's standard stream.
    private static func scratchPath(_ stream: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pythia-run-\(UUID().uuidString).\(stream)").path
    }

    private static func text(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
