import Logging

/// What every WebSocket of a server shares: where its events go, its limits, clock, metrics
/// and logger. One per server, so that each socket's ``ChatSocketHandler`` holds a single
/// reference to them rather than copies of its own (an idle connection's memory is mostly
/// what it holds).
final class ChatSocketEnvironment: Sendable {
    /// Where each socket's opening, text frames and closing go (tests give one that records them).
    let events: any ChatSocketEvents
    let limits: ChatSocketStateMachine.Limits
    let clock: SocketClock
    let metrics: ServerMetrics
    let logger: Logger

    /// An environment whose events go to `events`.
    init(events: any ChatSocketEvents, limits: ChatSocketStateMachine.Limits, clock: SocketClock, metrics: ServerMetrics, logger: Logger) {
        self.events = events
        self.limits = limits
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// The environment of `service`'s sockets.
    convenience init(service: ChatService) {
        self.init(
            events: ChatSocket(service: service), limits: .init(service.configuration),
            clock: SocketClock(service.configuration.timerClock), metrics: service.metrics, logger: service.logger)
    }
}
