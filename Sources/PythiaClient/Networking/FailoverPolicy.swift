/// Which server of a ``ServerList`` to try next, and after how long.
///
/// Every lost connection or failed attempt moves on to the next server of the list, in
/// order and round again from the last to the first. Within a round the next server is
/// tried after a delay drawn from `0...base` (the policy's first ceiling), so that the
/// clients of a server that died spread over the others instead of arriving at once. Only
/// a whole round — every server tried once — counts as one failure of the
/// ``ReconnectPolicy``, whose exponential backoff then applies as with one server: the
/// list is never hammered. A connection that stays up for ``ReconnectPolicy/stableAfter``
/// starts a fresh round from the server it was on: the client stays on the server that
/// works and does not return to the first one by itself (history is shared, so nothing is
/// gained by moving back). With one server this is exactly ``ReconnectPolicy``.
///
/// Pure: time and randomness come in as arguments.
public struct FailoverPolicy: Sendable {
    /// The backoff between whole rounds.
    public private(set) var policy: ReconnectPolicy
    /// How many servers the list holds.
    public let serverCount: Int
    /// The index of the server in use (or being tried).
    public private(set) var current = 0
    /// How many attempts have failed since the last stable connection, over every server.
    public private(set) var attempt = 0
    /// How many servers the current round has tried and lost.
    private var failedInRound = 0

    /// A policy for `serverCount` servers (at least one), starting with the first.
    public init(serverCount: Int, policy: ReconnectPolicy = ReconnectPolicy()) {
        self.serverCount = max(1, serverCount)
        self.policy = policy
    }

    /// The connection to the current server ended (or failed to open) after being up for
    /// `uptime` — `nil` when `connection_established` never came. Returns the server to
    /// try next, how long to wait before, and the attempt number (from 1) that follows.
    public mutating func connectionLost(
        uptime: Duration?, using generator: inout some RandomNumberGenerator
    ) -> (server: Int, delay: Duration, attempt: Int) {
        if let uptime, uptime >= policy.stableAfter { reset() }
        attempt += 1
        failedInRound += 1
        current = (current + 1) % serverCount
        guard failedInRound == serverCount else {
            return (current, ReconnectPolicy.jittered(upTo: policy.base, using: &generator), attempt)
        }
        failedInRound = 0
        return (current, policy.connectionLost(uptime: uptime, using: &generator).delay, attempt)
    }

    /// Starts over on the current server: the next loss waits at most `base`.
    public mutating func reset() {
        policy.reset()
        attempt = 0
        failedInRound = 0
    }
}
