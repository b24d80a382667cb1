import Synchronization

/// Set once a call of ``PostgresStorage`` holds a connection: from then on it waits for its
/// answer, not for a connection.
final class ConnectedFlag: Sendable {
    private let value = Mutex(false)

    /// Whether the call has its connection.
    var isSet: Bool { value.withLock { $0 } }

    /// Records that the call has its connection.
    func set() { value.withLock { $0 = true } }
}
