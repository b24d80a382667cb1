import Foundation
import PythiaTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A real nginx in front of test servers, configured by the repository's own
/// `deploy/nginx/pythia-chat.conf`: only its `listen` port and the `server` lines of its
/// upstream are replaced, so a change to anything else in that file is tested here.
final class NginxProxy {
    let port: Int
    private let process: Subprocess
    private let directory: String

    /// The configuration file that Docs/deploy.md tells operators to install.
    static var siteConfiguration: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/nginx/pythia-chat.conf")
    }

    /// Starts nginx on a free port with the upstream servers at `upstreamPorts`, and waits
    /// until it accepts connections.
    init(upstreamPorts: [Int]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-nginx-\(UUID().uuidString)").path
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // nginx's workers run as `nobody` when it starts as root: they must reach the temp directories.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
        port = try RestartablePort.reserve()
        let site = try Self.site(try String(contentsOf: Self.siteConfiguration, encoding: .utf8), port: port, upstreamPorts: upstreamPorts)
        try site.write(toFile: directory + "/pythia-chat.conf", atomically: true, encoding: .utf8)
        let temporary = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .map { "    \($0)_temp_path \(directory)/\($0);" }.joined(separator: "\n")
        let main = """
            daemon off;
            pid \(directory)/nginx.pid;
            error_log stderr warn;
            worker_processes 1;
            events { worker_connections 4096; }
            http {
                access_log off;
            \(temporary)
                include \(directory)/pythia-chat.conf;
            }
            """
        try main.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        let nginx = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "nginx"
        process = try Subprocess(
            nginx, ["-p", directory, "-e", "stderr", "-c", directory + "/nginx.conf"],
            files: .init(input: "/dev/null", output: directory + "/out.log", error: directory + "/error.log"))
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if Self.accepts(port) { return }
            try await Task.sleep(for: .milliseconds(50))  // polls a real process's port
        }
        let log = (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? ""
        stop()
        throw E2EFailure("nginx did not start (is it installed? apt-get install -y nginx): \(log)")
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// What nginx wrote to its error log so far.
    var errorLog: String { (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? "" }

    /// Stops nginx at once and removes its files.
    func stop() {
        process.signal(SIGTERM)
        process.wait()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The site file with its listen port and upstream servers replaced; throws when either
    /// is not where the test expects it, so the file and this test cannot drift apart.
    static func site(_ text: String, port: Int, upstreamPorts: [Int]) throws -> String {
        var lines = text.components(separatedBy: "\n")
        guard let listen = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("listen ") }) else {
            throw E2EFailure("deploy/nginx/pythia-chat.conf has no listen line")
        }
        lines[listen] = "    listen 127.0.0.1:\(port);"
        // Each upstream's run of `server` lines becomes one line per test server, keeping what
        // follows the address (max_fails, fail_timeout).
        var replaced = 0, index = 0
        while index < lines.count {
            guard let address = lines[index].range(of: #"^\s*server 127\.0\.0\.1:\d+"#, options: .regularExpression) else {
                index += 1
                continue
            }
            let parameters = lines[index][address.upperBound...]
            var end = index
            while end + 1 < lines.count, lines[end + 1].trimmingCharacters(in: .whitespaces).hasPrefix("server 127.0.0.1:") { end += 1 }
            let servers = upstreamPorts.map { "    server 127.0.0.1:\($0)\(parameters)" }
            lines.replaceSubrange(index...end, with: servers)
            index += servers.count
            replaced += 1
        }
        guard replaced > 0 else { throw E2EFailure("deploy/nginx/pythia-chat.conf has no upstream server lines") }
        return lines.joined(separator: "\n")
    }

    private static func accepts(_ port: Int) -> Bool {
        let fd = Loopback.tcpSocket()
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return Loopback.connect(fd, toPort: port)
    }
}
