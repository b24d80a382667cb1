import Synchronization

/// One connection attempt as its waiter sees it: its outcome comes either from the attempt
/// itself or, while the server has not answered the handshake yet, from giving it up.
final class PendingHandshake: Sendable {
    private struct State {
        var answered = false
        var abandoned = false
        var waiter: CheckedContinuation<RealtimeConnection.Outcome, Never>?
        /// The outcome handed out (or kept for a waiter still to come).
        var decided: RealtimeConnection.Outcome?
    }

    private let state = Mutex(State())

    /// The server answered: `true` unless the attempt was already given up, in which case the
    /// late connection must close at once.
    func answered() -> Bool {
        state.withLock { state in
            guard !state.abandoned else { return false }
            state.answered = true
            return true
        }
    }

    /// Gives the attempt up unless the server has answered; its waiter returns now.
    func abandon(because reason: String) {
        resume(with: RealtimeConnection.Outcome(uptime: nil, needsCredentialCheck: false, reason: reason)) { state in
            guard !state.answered, !state.abandoned else { return false }
            state.abandoned = true
            return true
        }
    }

    /// Waits for `attempt`'s outcome, or for the attempt to be given up.
    func outcome(of attempt: Task<RealtimeConnection.Outcome, Never>) async -> RealtimeConnection.Outcome {
        await withCheckedContinuation { continuation in
            let decided = state.withLock { state in
                if let decided = state.decided { return Optional(decided) }
                state.waiter = continuation
                return nil
            }
            if let decided {
                continuation.resume(returning: decided)
                return
            }
            Task {
                let outcome = await attempt.value
                self.resume(with: outcome) { _ in true }
            }
        }
    }

    /// Hands `outcome` to the waiter (once, and only when `accept` agrees).
    private func resume(with outcome: RealtimeConnection.Outcome, when accept: (inout State) -> Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<RealtimeConnection.Outcome, Never>? in
            guard state.decided == nil, accept(&state) else { return nil }
            state.decided = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }
}
