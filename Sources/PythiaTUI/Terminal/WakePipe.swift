#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A self-pipe that wakes the terminal thread out of its wait for input, from any thread:
/// how new chat state reaches a loop blocked in `readEvents`.
public final class WakePipe: Sendable {
    /// The end the terminal thread waits on.
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    /// Opens the pipe; nil only if the process is out of file descriptors.
    public init?() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// Wakes the waiting thread (a full pipe already means "wake up", so errors are moot).
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Empties the pipe after waking.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
    }
}
