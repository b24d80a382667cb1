import Synchronization

/// The outcome of whichever finishes first, a call or its deadline: the caller is answered
/// once, at once, and whatever lost is cancelled in the background (a query stuck on a
/// connection that died silently must not hold the request). A caller cancelled while it
/// waits is answered `CancellationError` at once, and both are cancelled.
final class FirstOutcome<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        /// Set once the outcome is in; kept for a caller not waiting yet.
        var result: Result<Value, any Error>?
        var losers: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Answers `continuation` with the outcome, at once if it is already in.
    private func answer(_ continuation: CheckedContinuation<Value, any Error>) {
        let result = state.withLock { state -> Result<Value, any Error>? in
            if state.result == nil { state.continuation = continuation }
            return state.result
        }
        if let result { continuation.resume(with: result) }
    }

    /// Cancels `task` once an outcome is in (at once if it already is).
    private func cancelWhenDone(_ task: Task<Void, Never>) {
        let done = state.withLock { state in
            if state.result != nil { return true }
            state.losers.append(task)
            return false
        }
        if done { task.cancel() }
    }

    /// Answers the caller with `result`, unless something finished before.
    private func finish(_ result: Result<Value, any Error>) {
        let (continuation, losers) = state.withLock { state -> (CheckedContinuation<Value, any Error>?, [Task<Void, Never>]) in
            guard state.result == nil else { return (nil, []) }
            state.result = result
            defer { (state.continuation, state.losers) = (nil, []) }
            return (state.continuation, state.losers)
        }
        continuation?.resume(with: result)
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
        let outcome = FirstOutcome()
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
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { outcome.answer($0) }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
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
