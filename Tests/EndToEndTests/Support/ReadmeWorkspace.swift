import Foundation
import PythiaTestSupport

/// The files and environment that ``ReadmeEndToEndTests`` shares between its server and
/// README.md's blocks, and how it runs a block.
struct ReadmeWorkspace {
    /// The README's address for the server, replaced by the test server's.
    static let readmeServer = "http://127.0.0.1:8000"

    /// One block's run.
    struct Run {
        let block: ReadmeBlock
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let scratch: Scratch
    /// HOME of the blocks.
    let home: String
    /// HOME, the XDG directories and PATH, for the server and every block.
    let environment: [String: String]
    /// The default database under HOME, which the server uses.
    var database: String { home + "/.local/share/pythia-chat/pythia.sqlite" }

    init() throws {
        scratch = try Scratch("readme")
        home = scratch.directory + "/home"
        let bin = scratch.directory + "/bin"
        for directory in [bin, home + "/.local/share/pythia-chat"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try FileManager.default.createSymbolicLink(atPath: bin + "/pythia-chat", withDestinationPath: ServeProcess.binary.path)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        // The usual places under HOME, as on a user's machine: the default database is
        // $XDG_DATA_HOME/pythia-chat/pythia.sqlite, the saved login in $XDG_CONFIG_HOME.
        environment = [
            "HOME": home, "PATH": bin + ":" + path, "XDG_DATA_HOME": home + "/.local/share",
            "XDG_CONFIG_HOME": home + "/.config", "XDG_STATE_HOME": home + "/.local/state", "XDG_CACHE_HOME": home + "/.cache",
        ]
    }

    /// Runs a foreground block to its end with bash, in HOME.
    func run(_ block: ReadmeBlock, server: String) async throws -> Run {
        let base = scratch.directory + "/block-\(UUID().uuidString)"
        let files = Subprocess.Files(input: "/dev/null", output: base + ".out", error: base + ".err")
        let child = try Subprocess("/bin/bash", ["-c", script(block, server: server)], environment: environment, files: files)
        let status = await child.exitStatus()
        return Run(block: block, status: status, stdout: Self.text(files.output), stderr: Self.text(files.error))
    }

    /// Starts a background block in a process group of its own (`setsid`), so that all of
    /// its pipeline can be stopped at once.
    func start(_ block: ReadmeBlock, server: String, output: String, errors: String) throws -> Subprocess {
        let files = Subprocess.Files(input: "/dev/null", output: output, error: errors)
        return try Subprocess("setsid", ["/bin/bash", "-c", script(block, server: server)], environment: environment, files: files)
    }

    private func script(_ block: ReadmeBlock, server: String) -> String {
        "set -euo pipefail\ncd \"$HOME\"\n" + block.script.replacingOccurrences(of: Self.readmeServer, with: server)
    }

    /// A file's text, or "" when it cannot be read.
    static func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Whether `command` is an executable file in one of PATH's directories.
    func hasCommand(_ command: String) -> Bool {
        (environment["PATH"] ?? "").split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(command)") }
    }
}

