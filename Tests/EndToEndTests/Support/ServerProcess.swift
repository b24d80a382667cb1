import PythiaTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `pythia-chat --serve` child process on a database file.
final class ServerProcess {
    private let process: Subprocess
    private(set) var port = 0
    private var killed = false
    /// `https` when started with `--tls-cert`.
    private var scheme = "http"

    /// The built `pythia-chat` binary, beside the test bundle in the products directory.
    static var binary: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("pythia-chat")
    }

    /// Starts the server (port 0: any free port) with `arguments` added, and waits for its
    /// "listening on" line.
    init(port: Int, database: String, environment: [String: String], arguments: [String] = []) async throws {
        // bcrypt's cheapest cost: the tests log in often, and cost 12 is slow on purpose.
        // No default channel: the tests make the channels they name.
        process = try Subprocess(
            Self.binary.path, ["--serve", "--port", "\(port)", "--db", database, "--bcrypt-cost", "4", "--default-channel", ""] + arguments,
            environment: environment, captureOutput: true)
        let output = process.output!
        let deadline = Date().addingTimeInterval(30)
        var seen = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = read(output, &buffer, buffer.count)
            if count <= 0 { break }
            seen += String(decoding: buffer[0..<count], as: UTF8.self)
            if let range = seen.range(of: #"listening on https?://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                self.port = Int(seen[range].split(separator: ":").last!)!
                if seen[range].contains("https:") { scheme = "https" }
                // Keep draining the output so the server never blocks on a full pipe.
                Thread.detachNewThread {
                    var sink = [UInt8](repeating: 0, count: 4096)
                    while read(output, &sink, sink.count) > 0 {}
                    close(output)
                }
                return
            }
        }
        process.signal(SIGKILL)
        process.wait()
        throw E2EFailure("the server did not start: \(seen)")
    }

    var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Kills the server outright, as a crash would.
    func kill() {
        guard !killed else { return }
        killed = true
        process.signal(SIGKILL)
        process.wait()
    }
}
