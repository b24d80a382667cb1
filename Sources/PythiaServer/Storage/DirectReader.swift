import GRDB
import Synchronization

/// Read-only connections to the database that read on the caller's thread, for the short
/// reads of every request and handshake (a token's standing, a socket's channels).
///
/// GRDB's asynchronous read passes each read through three threads: its reader pool's queue
/// (which waits for a free reader), the reader's own queue, then the caller's executor. For
/// a read of one or two indexed rows those hand-offs cost more than the read: in a reconnect
/// storm GRDB's queues took a quarter of the server's CPU (BENCHMARKS.md, "Reconnect storm").
///
/// These connections are not the pool's readers. A caller that finds its connection busy
/// waits only for another thread's read, which never suspends; a synchronous read of the
/// pool's readers could instead wait for a reader that an asynchronous read holds until its
/// task resumes, on a thread that may be the one waiting.
final class DirectReader: Sendable {
    /// Each connection behind a lock of its own, which a close takes too: SQLite must not
    /// be called on a closed connection (GRDB does not check), and a read must not start
    /// while its connection closes.
    private let connections: [Connection]
    /// Spreads callers over the connections, so that two threads seldom wait for one.
    private let next = Atomic<UInt>(0)

    /// Opens `count` read-only connections to the WAL database at `path`, which must exist
    /// and be migrated.
    init(path: String, count: Int, configuration: Configuration) throws {
        var configuration = configuration
        configuration.readonly = true
        connections = try (0..<max(1, count)).map { _ in Connection(try DatabaseQueue(path: path, configuration: configuration)) }
    }

    /// Runs `body` on one of the connections, on this thread: in a transaction, or without
    /// one (`isolated: false`) for a single statement, which sees one snapshot by itself.
    /// Throws GRDB's "Connection is closed" after ``close()``.
    ///
    /// Only for reads of a few indexed rows: the calling thread (a cooperative pool thread,
    /// usually) is held for the read's duration.
    func read<T: Sendable>(isolated: Bool = true, _ body: (Database) throws -> T) throws -> T {
        let turn = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return try connections[Int(turn % UInt(connections.count))].queue.withLock { connection throws -> T in
            guard let connection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "Connection is closed") }
            return isolated ? try connection.read(body) : try connection.unsafeRead(body)
        }
    }

    /// Closes the connections, once the reads under way on them end.
    func close() {
        for connection in connections {
            connection.queue.withLock { connection in
                try? connection?.close()
                connection = nil
            }
        }
    }

    /// One connection, `nil` once closed.
    private final class Connection: Sendable {
        let queue: Mutex<DatabaseQueue?>

        init(_ queue: DatabaseQueue) {
            self.queue = Mutex(queue)
        }
    }
}
