import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Why one subscriber's connection did not open, sorted the way a reconnect storm is judged:
/// a server that refuses or drops connections under the storm fails it, one that is merely
/// slow does not.
struct OpenFailure: Sendable {
    enum Kind: String, Codable, Sendable {
        /// The TCP connect was refused (`ECONNREFUSED`), or the upgrade answered with
        /// something else than 101.
        case refused
        /// The connection closed (or was reset) before it opened.
        case closed
        /// Anything else: a connect that timed out, an address that ran out of ports…
        case failed
    }

    var kind: Kind
    /// The error, as the human report shows it.
    var description: String

    init(_ error: any Error) {
        description = "\(error)"
        kind = Self.kind(of: error)
    }

    private static func kind(of error: any Error) -> Kind {
        if let refusal = (error as? BenchError)?.refusal {
            return refusal == .upgradeRefused ? .refused : .closed
        }
        if let connect = error as? NIOConnectionError {
            let errnos = connect.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }
            return errnos.contains(ECONNREFUSED) ? .refused : errnos.contains(ECONNRESET) ? .closed : .failed
        }
        if let io = error as? IOError {
            return io.errnoCode == ECONNREFUSED ? .refused : io.errnoCode == ECONNRESET ? .closed : .failed
        }
        if let channel = error as? ChannelError, channel == .ioOnClosedChannel || channel == .eof || channel == .alreadyClosed {
            return .closed
        }
        return .failed
    }
}
