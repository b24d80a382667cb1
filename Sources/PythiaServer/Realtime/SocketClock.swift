import NIOCore

/// Where a ``ChatSocketHandler`` reads the time and sets its timer.
///
/// Real time is the event loop's: its own clock and timers, so an idle socket needs no task.
/// Any other clock (a test's) is read as the time since the socket opened, a `NIODeadline` of
/// that many nanoseconds, and the timer is a task asleep on it until the deadline.
enum SocketClock: Sendable {
    /// The event loop's clock and timers.
    case eventLoop
    /// A clock of the server's: the time since the socket opened, and a sleep until a time.
    case clock(elapsed: @Sendable () -> Duration, sleepUntil: @Sendable (Duration) async throws -> Void)

    /// The event loop for the continuous clock (the same real time), else `clock` itself.
    init(_ clock: any Clock<Duration>) {
        self = clock is ContinuousClock ? .eventLoop : Self.reading(clock)
    }

    private static func reading<C: Clock<Duration>>(_ clock: C) -> SocketClock {
        let origin = clock.now
        return .clock(
            elapsed: { origin.duration(to: clock.now) },
            sleepUntil: { try await clock.sleep(until: origin.advanced(by: $0), tolerance: nil) })
    }

    /// The time now on `loop`.
    func now(on loop: any EventLoop) -> NIODeadline {
        switch self {
        case .eventLoop: loop.now
        case .clock(let elapsed, _): .uptimeNanoseconds(0) + TimeAmount(elapsed())
        }
    }

    /// Runs `fire` on `loop` at `deadline`, unless the timer is cancelled first (on `loop`).
    func schedule(at deadline: NIODeadline, on loop: any EventLoop, _ fire: @escaping () -> Void) -> Scheduled<Void> {
        switch self {
        case .eventLoop:
            return loop.assumeIsolated().scheduleTask(deadline: deadline, fire)
        case .clock(_, let sleepUntil):
            // A cancel fails the promise on the loop, so a sleeper woken after it fires nothing.
            let promise = loop.makePromise(of: Void.self)
            promise.futureResult.assumeIsolated().whenSuccess(fire)
            let sleeper = Task {
                if (try? await sleepUntil(.nanoseconds(deadline.uptimeNanoseconds))) != nil { promise.succeed() }
            }
            return Scheduled(promise: promise, cancellationTask: { sleeper.cancel() })
        }
    }
}
