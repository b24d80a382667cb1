#if canImport(Glibc)
import Glibc
#endif
import PythiaTestSupport

/// A loopback port that accepts TCP connections (the kernel completes them into its
/// backlog) and never answers anything: a hung server as a client sees it.
final class SilentListener: Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = Loopback.tcpSocket()
        guard Loopback.bind(fd, toPort: 0), listen(fd, 16) == 0, let port = Loopback.port(of: fd) else {
            _ = Glibc.close(fd)
            throw WaitTimedOut(what: "a listening socket")
        }
        self.fd = fd
        self.port = port
    }

    func close() { _ = Glibc.close(fd) }
}
