#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Loopback ports for servers that a test stops and starts again on the same port.
///
/// A port handed out for port 0 comes from the kernel's ephemeral range, and so does the
/// local port of every outgoing connection: while such a server is down, another test's
/// server or client may take its port, and the restart fails with "address in use". These
/// ports lie below the ephemeral range, are never handed out twice by one test process,
/// and are checked to be free when they are handed out.
public enum RestartablePort {
    private static let range = 20_000..<32_000
    /// Where this process starts in `range`, so that two test runs on one machine rarely meet.
    private static let next = Mutex(range.lowerBound + Int(getpid()) % range.count)

    /// A loopback port that nothing listens on now and that the kernel never picks by itself.
    public static func reserve() throws -> Int {
        for _ in 0..<range.count {
            let port = next.withLock { next in
                defer { next = next + 1 == range.upperBound ? range.lowerBound : next + 1 }
                return next
            }
            if isFree(port) { return port }
        }
        throw NoFreePort(range: range)
    }

    private static func isFree(_ port: Int) -> Bool {
        let fd = Loopback.tcpSocket()
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return Loopback.bind(fd, toPort: port)
    }
}

/// Every port of the range is taken.
public struct NoFreePort: Error, CustomStringConvertible {
    let range: Range<Int>
    public var description: String { "no free loopback port in \(range.lowerBound)..<\(range.upperBound) for a restartable test server" }
}
