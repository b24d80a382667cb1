import Foundation

/// Machine-wide figures a storm is read against: how busy the (shared) machine was, and
/// whether the kernel dropped connections at a full listen queue.
enum MachineCounters {
    /// The one-minute load average (`/proc/loadavg`), nil where it cannot be read.
    static func loadAverage() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }

    /// `TcpExt: ListenOverflows` of `/proc/net/netstat`: SYNs or handshakes dropped, on any
    /// socket of the machine, because a listen queue was full. A dropped SYN is not refused:
    /// the client sends it again a second later, so a full backlog shows as time, not errors.
    static func listenOverflows() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/net/netstat", encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("TcpExt:") }
        guard lines.count >= 2 else { return nil }
        let names = lines[0].split(separator: " ")
        let values = lines[1].split(separator: " ")
        guard let index = names.firstIndex(of: "ListenOverflows"), index < values.count else { return nil }
        return Int(values[index])
    }
}
