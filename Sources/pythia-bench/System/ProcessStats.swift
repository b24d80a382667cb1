import Foundation

/// Resident memory and CPU time of a process, read from `/proc` (Linux only).
struct ProcessSample: Sendable, Codable {
    /// Resident set size in bytes.
    var residentBytes: Int
    /// User plus system CPU time in seconds.
    var cpuSeconds: Double
    /// When the sample was taken, on ``MonotonicClock``.
    var takenAt: UInt64

    /// Reads `/proc/PID/statm` and `/proc/PID/stat`; `pid` nil means this process.
    static func sample(pid: Int32? = nil) -> ProcessSample? {
        let directory = pid.map { "/proc/\($0)" } ?? "/proc/self"
        guard let statm = readSmallFile("\(directory)/statm"),
            let stat = readSmallFile("\(directory)/stat")
        else { return nil }
        let pages = statm.split(separator: " ")
        guard pages.count > 1, let residentPages = Int(pages[1]) else { return nil }
        // The command name in field 2 may hold spaces: count fields after its closing ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            return nil
        }
        return ProcessSample(
            residentBytes: residentPages * Int(sysconf(Int32(_SC_PAGESIZE))),
            cpuSeconds: (user + system) / Double(sysconf(Int32(_SC_CLK_TCK))),
            takenAt: MonotonicClock.now()
        )
    }

    /// How many files (sockets included) the process has open: the entries of `/proc/PID/fd`;
    /// `pid` nil means this process (whose count then includes the directory being read).
    static func openFiles(pid: Int32? = nil) -> Int? {
        let directory = pid.map { "/proc/\($0)/fd" } ?? "/proc/self/fd"
        return (try? FileManager.default.contentsOfDirectory(atPath: directory))?.count
    }

    /// The process's open files by what they are — `socket`, `pipe`, `anon_inode:[eventfd]`…
    /// or the file's path — and how many of each; `pid` nil means this process.
    static func openFileKinds(pid: Int32? = nil) -> [String: Int]? {
        let directory = pid.map { "/proc/\($0)/fd" } ?? "/proc/self/fd"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var kinds: [String: Int] = [:]
        for entry in entries {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(entry)") else { continue }
            let kind = target.hasPrefix("socket:") ? "socket" : target.hasPrefix("pipe:") ? "pipe" : target
            kinds[kind, default: 0] += 1
        }
        return kinds
    }

    /// CPU used between two samples as a share of one core (1.0 = one core busy).
    func cpuShare(since earlier: ProcessSample) -> Double {
        let wall = MonotonicClock.seconds(from: earlier.takenAt, to: takenAt)
        return wall > 0 ? (cpuSeconds - earlier.cpuSeconds) / wall : 0
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: bytes[..<count], as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
