import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Local mode's start-up: from launching `pythia-chat` to its first frame on the terminal.
struct StartupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "startup",
        abstract: "Time from starting pythia-chat in local mode to its first frame drawn (median of N runs).",
        discussion: """
            Each run starts the binary on a pseudo-terminal of 120×35, with its data, state
            and config in a directory of its own, and stops the clock when the channel
            list's heading reaches the terminal; then ends it with SIGTERM. One run before
            the timed ones creates the local database and warms the file cache.
            """)

    @Option(help: ArgumentHelp("The pythia-chat binary; by default the one beside pythia-bench.", valueName: "path"))
    var binary: String?

    @Option(name: .customLong("repeat"), help: "Timed runs.")
    var runs = 10

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--repeat must be at least 1") }
    }

    struct Output: Codable {
        var runs: Int
        var medianMillis: Double
        var minMillis: Double
        var maxMillis: Double
    }

    func run() throws {
        let executable = binary ?? SiblingBinary.path("pythia-chat")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-startup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        _ = try Self.timeToFirstFrame(executable: executable, home: home)
        var millis: [Double] = []
        for _ in 0..<runs { millis.append(try Self.timeToFirstFrame(executable: executable, home: home) * 1000) }
        let output = Output(
            runs: runs, medianMillis: Format.median(millis) ?? 0, minMillis: millis.min() ?? 0, maxMillis: millis.max() ?? 0)
        if json {
            try Format.printJSON(output)
        } else {
            Format.printTable("startup: local mode to first frame, \(runs) runs", [
                ("median", Format.fixed(output.medianMillis, 1) + " ms"),
                ("min", Format.fixed(output.minMillis, 1) + " ms"),
                ("max", Format.fixed(output.maxMillis, 1) + " ms"),
            ])
        }
    }

    /// What the first frame always holds: the channel list's heading.
    private static let firstFrameMarker = Array("Channels".utf8)

    /// Seconds from launching the binary to the first frame on its terminal. The terminal
    /// is util-linux's `script`'s pseudo-terminal (Glibc's module has no `posix_openpt`);
    /// starting `script` first adds about a millisecond, counted here.
    private static func timeToFirstFrame(executable: String, home: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["--quiet", "--flush", "--return", "--command", executable, "/dev/null"]
        // The size comes from LINES and COLUMNS: ncurses reads them before the terminal's own.
        process.environment = [
            "HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config",
            "TERM": "xterm-256color", "LANG": "C.UTF-8", "LINES": "35", "COLUMNS": "120", "USER": "bench", "PATH": "/usr/bin:/bin",
        ]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let reader = output.fileHandleForReading.fileDescriptor
        let started = MonotonicClock.now()
        try process.run()
        defer {
            process.terminate()
            // Drain what it writes while it ends, so that it never blocks on a full pipe.
            var sink = [UInt8](repeating: 0, count: 4096)
            while process.isRunning {
                var ready = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
                if poll(&ready, 1, 50) > 0 { _ = read(reader, &sink, sink.count) }
            }
        }
        var seen: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = started + 30_000_000_000
        while MonotonicClock.now() < deadline {
            var ready = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 100) > 0 else {
                if !process.isRunning { break }
                continue
            }
            let count = read(reader, &buffer, buffer.count)
            guard count > 0 else { break }
            seen.append(contentsOf: buffer[0..<count])
            if seen.firstRange(of: firstFrameMarker) != nil {
                return MonotonicClock.seconds(from: started, to: MonotonicClock.now())
            }
        }
        throw BenchError.childFailed("no first frame within 30 s; the terminal showed: \(String(decoding: seen.suffix(400), as: UTF8.self))")
    }
}
