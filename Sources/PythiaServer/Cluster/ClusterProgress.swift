import Synchronization

/// How far this process's hub has applied the cluster's event log, kept across the
/// listener's connections, and the publishers waiting for it to reach their own event.
///
/// A membership change or a close returns only once this process has applied it, as
/// ``InProcessBroker`` does: a REST `leave` answered 204 must not leave a `join_channel`
/// racing it on the same process to find the old membership in the hub.
final class ClusterProgress: Sendable {
    private struct Waiter {
        let id: Int64
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        /// `nil` until the listener first caught up: a process that starts has no connection
        /// that earlier events were for.
        var applied: Int64?
        var catchUps = 0
        var waiters: [UInt64: Waiter] = [:]
        var nextKey: UInt64 = 0
    }

    private let state = Mutex(State())

    /// The last event id applied; `nil` until the listener first caught up.
    var lastApplied: Int64? { state.withLock { $0.applied } }

    /// How many times a listening connection has caught up with the log.
    var catchUps: Int { state.withLock { $0.catchUps } }

    /// The listener applied every event up to `id`.
    func applied(through id: Int64) {
        let ready = state.withLock { state -> [Waiter] in
            guard id > state.applied ?? .min else { return [] }
            state.applied = id
            let ready = state.waiters.filter { $0.value.id <= id }
            for key in ready.keys { state.waiters[key] = nil }
            return Array(ready.values)
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// The listener's connection caught up through `id` and now listens.
    func caughtUp(through id: Int64) {
        state.withLock { $0.catchUps += 1 }
        applied(through: id)
    }

    /// Returns once event `id` is applied, or after `limit` (a listener that lost its
    /// connection applies it when it is back; the publisher does not wait for that), or
    /// when the task is cancelled. Whether it was applied.
    @discardableResult
    func waitUntilApplied(_ id: Int64, within limit: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.applied(id) }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let applied = await group.next() ?? false
            group.cancelAll()
            return applied
        }
    }

    private func applied(_ id: Int64) async -> Bool {
        let key = state.withLock { state -> UInt64 in
            state.nextKey += 1
            return state.nextKey
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.applied ?? .min >= id || Task.isCancelled { return true }
                    state.waiters[key] = Waiter(id: id, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: key) }?.continuation.resume()
        }
        return state.withLock { $0.applied ?? .min >= id }
    }
}
