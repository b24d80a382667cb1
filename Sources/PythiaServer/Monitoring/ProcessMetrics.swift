import Foundation

/// The standard `process_*` series of Prometheus' client libraries, read from the kernel at
/// each scrape (`/proc/self/stat`, `/proc/self/fd`, `/proc/stat`, `getrlimit`): swift-prometheus
/// has no process collector. Where `/proc` is missing (macOS) only `process_max_fds` is given.
enum ProcessMetrics {
    /// The series in the Prometheus text format, `# HELP` and `# TYPE` included.
    static func exposition() -> String {
        var text = ""
        func add(_ name: String, _ type: String, _ help: String, _ value: Double?) {
            guard let value, value.isFinite else { return }
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(format(value))\n"
        }
        let stat = ProcessStat.read()
        add("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", stat?.cpuSeconds)
        add("process_open_fds", "gauge", "Number of open file descriptors.", openFileCount())
        add("process_max_fds", "gauge", "Maximum number of open file descriptors.",
            openFileLimit().flatMap { $0 == .max ? nil : Double($0) })
        add("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", stat?.virtualBytes)
        add("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", stat?.residentBytes)
        add("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", stat?.startTime)
        return text
    }

    /// Whole numbers without a fraction, as the other series are written.
    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The entries of `/proc/self/fd` (the directory's own descriptor, open while it is
    /// listed, is counted, as Prometheus' Go client counts it).
    private static func openFileCount() -> Double? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map { Double($0.count) }
    }

    /// The process's soft open-file limit (`RLIMIT_NOFILE`); unlimited (all bits set) clamps
    /// to `Int.max`; `nil` when it cannot be read.
    static func openFileLimit() -> Int? {
        var limit = rlimit()
        #if os(Linux)
        let resource = Int32(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return Int(clamping: limit.rlim_cur)
    }
}

/// What `/proc/self/stat` says about this process, in seconds and bytes.
private struct ProcessStat {
    let cpuSeconds: Double
    let virtualBytes: Double
    let residentBytes: Double
    let startTime: Double?

    static func read() -> ProcessStat? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let commandEnd = text.lastIndex(of: ")")
        else { return nil }
        // After the command's name (in parentheses, and it may hold spaces) come fields 3…;
        // see proc(5): utime 14, stime 15, starttime 22, vsize 23, rss 24.
        let fields = text[text.index(after: commandEnd)...].split(separator: " ")
        func field(_ number: Int) -> Double? {
            let index = number - 3
            return fields.indices.contains(index) ? Double(fields[index]) : nil
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        guard ticks > 0, pageSize > 0, let user = field(14), let system = field(15),
              let virtual = field(23), let resident = field(24)
        else { return nil }
        let startTime = field(22).flatMap { started in bootTime().map { $0 + started / ticks } }
        return ProcessStat(
            cpuSeconds: (user + system) / ticks, virtualBytes: virtual, residentBytes: resident * pageSize, startTime: startTime)
    }

    /// When the machine booted (`btime` in `/proc/stat`), in seconds since 1970.
    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("btime ") }
            .flatMap { Double($0.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces)) }
    }
}
