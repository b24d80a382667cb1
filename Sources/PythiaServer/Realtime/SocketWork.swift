import Synchronization

/// The work of one WebSocket that needs the hub or storage (opening, each text frame,
/// closing), run one job after another in the order queued.
///
/// The jobs run in a task that exists only while some wait, so an idle socket holds no task.
/// The queue is bounded by its reader, not here: ``enqueue(_:)`` says when `limit` jobs wait,
/// the socket then stops reading, and `onRoom` tells it when it may read again.
final class SocketWork: Sendable {
    /// One job.
    typealias Job = @Sendable () async -> Void

    private struct State {
        var jobs: [Job] = []
        var running = false
    }

    private let state = Mutex(State())
    private let limit: Int
    private let onRoom: @Sendable () -> Void

    /// `onRoom` is called, from the running task, when the queue falls below `limit` again.
    init(limit: Int, onRoom: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.onRoom = onRoom
    }

    /// Queues `job` after those already queued; `true` when `limit` or more now wait.
    @discardableResult
    func enqueue(_ job: @escaping Job) -> Bool {
        let (start, full) = state.withLock { state in
            state.jobs.append(job)
            defer { state.running = true }
            return (!state.running, state.jobs.count >= limit)
        }
        if start {
            Task { await self.run() }
        }
        return full
    }

    private func run() async {
        while let (job, madeRoom) = next() {
            if madeRoom { onRoom() }
            await job()
        }
    }

    /// The next job, and whether taking it made room; `nil` (and the task ends) when none waits.
    private func next() -> (Job, Bool)? {
        state.withLock { state in
            guard !state.jobs.isEmpty else {
                state.running = false
                state.jobs = []  // an idle socket keeps no buffer
                return nil
            }
            let wasFull = state.jobs.count >= limit
            let job = state.jobs.removeFirst()
            return (job, wasFull && state.jobs.count < limit)
        }
    }
}
