import Synchronization

/// The outcome of whichever finishes first, a call or its deadline: the caller is answered
/// once, at once, and whatever lost is cancelled in the background (a query stuck on a
/// connection that died silently must not hold the request).
final class FirstOutcome<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, any Error>?, losers: [Task<Void, Never>])>((nil, []))

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Cancels `task` once an outcome is in (at once if it already is).
    func cancelWhenDone(_ task: Task<Void, Never>) {
        let done = state.withLock { state in
            if state.continuation == nil { return true }
            state.losers.append(task)
            return false
        }
        if done { task.cancel() }
    }

    /// Answers the caller with `result`, unless something finished before.
    func finish(_ result: Result<Value, any Error>) {
        let (continuation, losers) = state.withLock { state in
            defer { state = (nil, []) }
            return (state.continuation, state.losers)
        }
        guard let continuation else { return }
        continuation.resume(with: result)
        for task in losers { task.cancel() }
    }
}

extension FirstOutcome {
    /// What `operation` returns or throws, or, when `deadline` returns first, the error it
    /// returns; the loser is cancelled and left to end in the background.
    static func of(
        _ operation: @escaping @Sendable () async throws -> Value,
        unless deadline: @escaping @Sendable () async throws -> any Error
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = FirstOutcome(continuation)
            outcome.cancelWhenDone(Task {
                do {
                    outcome.finish(.success(try await operation()))
                } catch {
                    outcome.finish(.failure(error))
                }
            })
            outcome.cancelWhenDone(Task {
                // Throwing means cancelled: the operation finished first.
                guard let error = try? await deadline() else { return }
                outcome.finish(.failure(error))
            })
        }
    }

    /// What `operation` returns or throws, or the error `timedOut` makes once `limit` passes.
    static func of(
        _ operation: @escaping @Sendable () async throws -> Value, within limit: Duration,
        timedOut: @escaping @Sendable () -> any Error
    ) async throws -> Value {
        try await of(operation) {
            try await Task.sleep(for: limit)
            return timedOut()
        }
    }
}
