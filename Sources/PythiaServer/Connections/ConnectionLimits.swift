import CoreMetrics
import Logging
import NIOCore
import Synchronization

/// The server's open connections and the limits on them, shared by every event loop: at most
/// ``maxConnections`` are open; at the cap a new connection takes the place of the oldest one
/// that has not sent a complete request head yet, or is closed at once when every open
/// connection has (so a flood of silent sockets never locks out `/health`, logins or
/// established connections). The time limits are kept by each connection's
/// ``RequestTimeoutHandler``.
///
/// One lock per accept, request and close; closing a connection on any path gives its place back.
final class ConnectionLimits: Sendable {
    /// Why the limits closed a connection: the `reason` of `pythia_connections_dropped_total`.
    enum Drop: String, CaseIterable, Sendable {
        case requestHeadTimeout = "request_head_timeout"
        case keepAliveTimeout = "keep_alive_timeout"
        case evicted
        case refused
    }

    private struct Entry {
        let channel: any Channel
        var silent = true
    }

    private struct State {
        var open: [UInt64: Entry] = [:]
        /// Ids in accept order from the oldest silent connection on; ids of connections that
        /// have since sent a request or closed are skipped. Silent connections live at most
        /// the head timeout, so this holds at most that long's worth of accepts.
        var silentOrder = CircularBuffer<UInt64>()
        var nextId: UInt64 = 0
        /// Ids given at accept, on the listening socket's loop, to connections not admitted yet:
        /// a connection is set up on its own event loop, so admissions on two loops can come
        /// out of accept order, and the oldest must still be the first to go.
        var acceptedIds: [ObjectIdentifier: UInt64] = [:]
        /// When each kind of drop was last logged, and how many were not logged since.
        var lastLogged: [Drop: ContinuousClock.Instant] = [:]
        var unlogged: [Drop: Int] = [:]

        mutating func skipNonSilent() {
            while let first = silentOrder.first, open[first]?.silent != true {
                silentOrder.removeFirst()
            }
        }
    }

    /// How many connections may be open at once.
    let maxConnections: Int
    /// How long a connection has to send a complete request head.
    let requestHeadTimeout: Duration
    /// How long an HTTP connection may stay idle between requests.
    let keepAliveTimeout: Duration
    private let state = Mutex(State())
    private let metrics: ServerMetrics
    private let logger: Logger
    /// At most one log line per kind of drop in this interval: a flood must not flood the log.
    private static let logInterval = Duration.seconds(10)

    /// Limits from `configuration`, counted in `metrics`.
    init(_ configuration: ServerConfiguration, metrics: ServerMetrics) {
        maxConnections = max(configuration.maxConnections, 1)
        requestHeadTimeout = configuration.requestHeadTimeout
        keepAliveTimeout = configuration.keepAliveTimeout
        self.metrics = metrics
        logger = configuration.logger
    }

    /// Gives a connection just accepted its place in the accept order (``AcceptOrderHandler``,
    /// on the listening socket's loop), for its admission on its own loop.
    func accepted(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        let id = state.withLock { state in
            defer { state.nextId += 1 }
            state.acceptedIds[key] = state.nextId
            return state.nextId
        }
        // Admitted or not, a closed connection's place is given back; one callback for both
        // (each is kept by every open connection).
        channel.closeFuture.whenComplete { _ in self.closed(id, acceptedAs: key) }
    }

    /// Admits a newly accepted connection, evicting the oldest silent one (in accept order) at
    /// the cap; returns the new connection's id, or `nil` when it was refused and closed.
    func admit(_ channel: any Channel) -> UInt64? {
        let (id, evicted, wasAccepted): (UInt64?, (any Channel)?, Bool) = state.withLock { state in
            var evicted: (any Channel)?
            if state.open.count >= maxConnections {
                state.skipNonSilent()
                guard let oldest = state.silentOrder.popFirst() else { return (nil, nil, false) }
                evicted = state.open.removeValue(forKey: oldest)?.channel
            }
            let accepted = state.acceptedIds.removeValue(forKey: ObjectIdentifier(channel))
            let id = accepted ?? {
                defer { state.nextId += 1 }
                return state.nextId
            }()
            state.open[id] = Entry(channel: channel)
            // Mostly an append; an admission that overtook older ones goes back past them, by
            // taking them off the end and putting them back: `insert(_:at:)` copies the whole
            // buffer, which a storm of accepts on two loops made quadratic.
            var overtaken: [UInt64] = []
            while let last = state.silentOrder.last, last > id { overtaken.append(state.silentOrder.removeLast()) }
            state.silentOrder.append(id)
            state.silentOrder.append(contentsOf: overtaken.reversed())
            metrics.openConnections.record(state.open.count)
            return (id, evicted, accepted != nil)
        }
        // Closing runs a channel's close callbacks at once when it is on this thread's loop,
        // and they take the lock: close outside it.
        guard let id else {
            channel.close(promise: nil)
            dropped(.refused, channel)
            return nil
        }
        if let evicted {
            evicted.close(promise: nil)
            dropped(.evicted, evicted)
        }
        // One accepted through ``accepted(_:)`` has its close callback already.
        if !wasAccepted {
            channel.closeFuture.whenComplete { _ in self.closed(id, acceptedAs: nil) }
        }
        return id
    }

    /// Connection `id` has sent a complete request head: it is never evicted from now on.
    func requestReceived(_ id: UInt64) {
        state.withLock { state in
            state.open[id]?.silent = false
            state.skipNonSilent()
        }
    }

    /// Counts a connection the limits closed, and logs it: the first of each kind at once,
    /// then at most one line per kind every 10 s, with how many there were since the last.
    func dropped(_ reason: Drop, _ channel: any Channel) {
        metrics.connectionsDropped[reason]?.increment()
        let now = ContinuousClock.now
        let unlogged: Int? = state.withLock { state in
            if let last = state.lastLogged[reason], now - last < Self.logInterval {
                state.unlogged[reason, default: 0] += 1
                return nil
            }
            state.lastLogged[reason] = now
            return state.unlogged.removeValue(forKey: reason) ?? 0
        }
        guard let unlogged else { return }
        let message: Logger.Message = switch reason {
        case .requestHeadTimeout: "connection closed: no complete request head within \(requestHeadTimeout)"
        case .keepAliveTimeout: "connection closed: idle for \(keepAliveTimeout) between requests"
        case .evicted: "connection closed: \(maxConnections) connections open, the oldest silent one made room for a new one"
        case .refused: "connection refused: \(maxConnections) connections open, all of them past their first request"
        }
        logger.log(
            level: reason == .keepAliveTimeout ? .info : .notice, message,
            metadata: ["peer": "\(channel.remoteAddress?.description ?? "unknown")", "more_since_last_line": "\(unlogged)"])
    }

    /// Connection `id` closed: its place, and its accept-order entry `key` if it was never
    /// admitted, are given back.
    private func closed(_ id: UInt64, acceptedAs key: ObjectIdentifier?) {
        state.withLock { state in
            if let key { state.acceptedIds.removeValue(forKey: key) }
            guard state.open.removeValue(forKey: id) != nil else { return }
            state.skipNonSilent()
            metrics.openConnections.record(state.open.count)
        }
    }
}
