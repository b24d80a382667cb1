import Synchronization

/// The work of one WebSocket that needs the hub or storage (opening, each text frame,
/// closing), run one job after another in the order queued.
///
/// The jobs run in a task that exists only while some wait, so an idle socket holds no task.
/// The queue is bounded by its reader, not here: ``enqueue(_:)`` says when ``limit`` jobs
/// wait, the socket then stops reading, and its ``HubConnection`` is told when it may read
/// again.
final class SocketWork: Sendable {
    /// One job.
    typealias Job = @Sendable () async -> Void

    private struct State {
        var jobs: [Job] = []
        var running = false
    }

    /// How many jobs may wait before the socket stops being read.
    static let limit = 32

    private let state = Mutex(State())
    /// Told, from the running task, when the queue falls below ``limit`` again (a reference
    /// rather than a closure: one allocation less per socket).
    private let connection: HubConnection

    /// The work of `connection`'s socket.
    init(of connection: HubConnection) {
        self.connection = connection
    }

    /// Queues `job` after those already queued; `true` when `limit` or more now wait.
    @discardableResult
    func enqueue(_ job: @escaping Job) -> Bool {
        let (start, full) = state.withLock { state in
            state.jobs.append(job)
            defer { state.running = true }
            return (!state.running, state.jobs.count >= Self.limit)
        }
        if start {
            Task { await self.run() }
        }
        return full
    }

    private func run() async {
        while let (job, madeRoom) = next() {
            if madeRoom { connection.resumeReading() }
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
            let wasFull = state.jobs.count >= Self.limit
            let job = state.jobs.removeFirst()
            return (job, wasFull && state.jobs.count < Self.limit)
        }
    }
}
