import Synchronization

/// Where the listener is in the event log, kept across its connections: the last event id it
/// applied, and whether its current connection got as far as listening.
final class ClusterListenerPosition: Sendable {
    private struct State {
        var lastApplied: Int64?
        var listened = false
    }

    private let state = Mutex(State())

    /// The last event id applied; `nil` until the first connection listens: a process that
    /// starts has no connection that earlier events were for.
    var lastApplied: Int64? { state.withLock { $0.lastApplied } }

    /// Records that every event up to `id` is applied.
    func applied(through id: Int64) {
        state.withLock { $0.lastApplied = max($0.lastApplied ?? id, id) }
    }

    /// Records that the current connection listens and has caught up.
    func listening() {
        state.withLock { $0.listened = true }
    }

    /// Whether a connection listened since the last call.
    func takeListened() -> Bool {
        state.withLock { state in
            defer { state.listened = false }
            return state.listened
        }
    }
}
