import Synchronization

/// One connection attempt as its waiter sees it: its outcome comes either from the attempt
/// itself or, while the server has not answered the handshake yet, from giving it up.
final class PendingHandshake: Sendable {
    private struct State {
        var answered = false
        var abandonedBecause: String?
        var waiter: CheckedContinuation<Connection.Outcome, Never>?
        var early: Connection.Outcome?
    }

    private let state = Mutex(State())

    /// The server answered: `true` unless the attempt was already given up, in which case the
    /// late connection must close at once.
    func answered() -> Bool {
        state.withLock { state in
            guard state.abandonedBecause == nil else { return false }
            state.answered = true
            return true
        }
    }

    /// Gives the attempt up unless the server has answered; its waiter returns now.
    func abandon(because reason: String) {
        resume(with: Connection.Outcome(uptime: nil, needsCredentialCheck: false, reason: reason)) { state in
            guard !state.answered, state.abandonedBecause == nil else { return false }
            state.abandonedBecause = reason
            return true
        }
    }

    /// Waits for `attempt`'s outcome, or for the attempt to be given up.
    func outcome(of attempt: Task<Connection.Outcome, Never>) async -> Connection.Outcome {
        await withCheckedContinuation { continuation in
            let early = state.withLock { state in
                if let early = state.early { return Optional(early) }
                state.waiter = continuation
                return nil
            }
            if let early {
                continuation.resume(returning: early)
                return
            }
            Task {
                let outcome = await attempt.value
                self.resume(with: outcome) { _ in true }
            }
        }
    }

    /// Hands `outcome` to the waiter (once, and only when `accept` agrees).
    private func resume(with outcome: Connection.Outcome, when accept: (inout State) -> Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Connection.Outcome, Never>? in
            guard state.early == nil, accept(&state) else { return nil }
            state.early = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }
}
