import NIOCore
import Synchronization

/// The soak's connections by subscriber index, the reconnections under way, and what became
/// of the closes and opens so far.
final class SoakConnections: Sendable {
    private struct State {
        var channels: [(any Channel)?]
        var recycling = 0
        /// The connection counts of a tick (`live` aside, which is counted when asked).
        var counts = SoakTick()
    }

    private let state: Mutex<State>

    /// Room for `count` connections, none open.
    init(count: Int) {
        state = Mutex(State(channels: Array(repeating: nil, count: count)))
    }

    /// Keeps `channel`, just opened, as subscriber `index`'s connection.
    func opened(_ channel: any Channel, at index: Int) {
        state.withLock { state in
            state.channels[index] = channel
            state.counts.opened += 1
        }
    }

    /// Notes a connection attempt that failed with `failure`.
    func failedToOpen(_ failure: String) {
        state.withLock { state in
            state.counts.failedOpens += 1
            if state.counts.firstFailure == nil { state.counts.firstFailure = failure }
        }
    }

    /// Subscriber `index`'s connection, which the caller is about to close; nil if it has none.
    func take(at index: Int) -> (any Channel)? {
        state.withLock { state in
            defer { state.channels[index] = nil }
            return state.channels[index]
        }
    }

    /// Every connection, which the caller is about to close.
    func takeAll() -> [any Channel] {
        state.withLock { state in
            defer { state.channels = Array(repeating: nil, count: state.channels.count) }
            return state.channels.compactMap { $0 }
        }
    }

    /// Notes a connection this side closed; `answered` is false when the server did not
    /// answer the close in time.
    func closed(answered: Bool) {
        state.withLock { state in
            state.counts.closed += 1
            if !answered { state.counts.closeTimeouts += 1 }
        }
    }

    /// Starts a reconnection unless `limit` are under way already (then the churn step is
    /// skipped and counted).
    func beginRecycling(limit: Int) -> Bool {
        state.withLock { state in
            guard state.recycling < limit else {
                state.counts.churnSkipped += 1
                return false
            }
            state.recycling += 1
            return true
        }
    }

    /// Ends a reconnection started by ``beginRecycling(limit:)``.
    func endRecycling() {
        state.withLock { $0.recycling -= 1 }
    }

    /// Copies the counts into `tick`, with the connections open now as `live`.
    func fill(_ tick: inout SoakTick) {
        state.withLock { state in
            tick.live = state.channels.reduce(0) { $0 + ($1?.isActive == true ? 1 : 0) }
            tick.opened = state.counts.opened
            tick.closed = state.counts.closed
            tick.failedOpens = state.counts.failedOpens
            tick.closeTimeouts = state.counts.closeTimeouts
            tick.churnSkipped = state.counts.churnSkipped
            if tick.firstFailure == nil { tick.firstFailure = state.counts.firstFailure }
        }
    }
}
