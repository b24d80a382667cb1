import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One `pythia-chat --serve` child process: started on a free port with its output in a log
/// file, stopped with SIGTERM (as a deployment stops it).
final class ServeChildProcess: Sendable {
    let pid: Int32
    let port: Int
    private let process: Process

    private init(process: Process, port: Int) {
        self.process = process
        self.pid = process.processIdentifier
        self.port = port
    }

    /// Starts `binary --serve --port 0 ARGUMENTS` with `environment` added to this process's,
    /// and returns once it says where it listens (at most `timeout` seconds).
    static func start(
        binary: String, arguments: [String], environment: [String: String], logPath: String, timeout: Double = 60
    ) async throws -> ServeChildProcess {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError.targetFailed("no pythia-chat at \(binary): build it (`swift build -c release --product pythia-chat`) or pass --serve-binary")
        }
        guard FileManager.default.createFile(atPath: logPath, contents: nil), let log = FileHandle(forWritingAtPath: logPath) else {
            throw BenchError.targetFailed("cannot create the server log \(logPath)")
        }
        defer { try? log.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--serve", "--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = MonotonicClock.now() + UInt64(timeout * 1e9)
        while MonotonicClock.now() < deadline, process.isRunning {
            if let port = listeningPort(in: logPath) {
                return ServeChildProcess(process: process, port: port)
            }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        if process.isRunning { process.terminate() }
        let tail = (try? String(contentsOfFile: logPath, encoding: .utf8)).map { String($0.suffix(600)) } ?? ""
        throw BenchError.targetFailed("pythia-chat --serve did not say where it listens within \(Int(timeout)) s: \(tail)")
    }

    /// Sends SIGTERM and waits for the exit (SIGKILL after `grace` seconds).
    func stop(grace: Double = 30) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = MonotonicClock.now() + UInt64(grace * 1e9)
        while process.isRunning, MonotonicClock.now() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        if process.isRunning { kill(pid, SIGKILL) }
    }

    /// The port of the `pythia-chat: listening on http://HOST:PORT` line, once written.
    private static func listeningPort(in logPath: String) -> Int? {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("pythia-chat: listening on ") }),
            let url = URL(string: String(line.dropFirst("pythia-chat: listening on ".count)))
        else { return nil }
        return url.port
    }
}
