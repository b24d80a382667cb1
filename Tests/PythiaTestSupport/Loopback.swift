#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bare TCP sockets on 127.0.0.1, for tests that play a peer no client library would be.
public enum Loopback {
    /// A new TCP socket descriptor (negative on failure).
    public static func tcpSocket() -> Int32 {
        #if canImport(Glibc)
        socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        socket(AF_INET, SOCK_STREAM, 0)
        #endif
    }

    /// Binds `fd` to 127.0.0.1:`port` (0: any free port); `true` on success.
    public static func bind(_ fd: Int32, toPort port: Int) -> Bool {
        withAddress(port: port) { address, length in systemBind(fd, address, length) }
    }

    /// Connects `fd` to 127.0.0.1:`port`; `true` on success.
    public static func connect(_ fd: Int32, toPort port: Int) -> Bool {
        withAddress(port: port) { address, length in systemConnect(fd, address, length) }
    }

    /// The local port `fd` is bound to, `nil` if it cannot be read.
    public static func port(of fd: Int32) -> Int? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let read = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        return read ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    private static func withAddress<T>(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}

// The C calls under names that Loopback's own methods do not shadow.
private func systemBind(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Bool {
    bind(fd, address, length) == 0
}

private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Bool {
    connect(fd, address, length) == 0
}
