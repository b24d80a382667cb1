extension APIClient {
    /// Runs `body` until it succeeds, retrying transient failures (transport, 5xx, 429
    /// with its `Retry-After`) with a growing delay, until `deadline`.
    ///
    /// - Throws: the first permanent failure, or the last transient one at the deadline.
    public static func retrying<T: Sendable>(
        until deadline: ContinuousClock.Instant, maxDelay: Duration = .seconds(4),
        _ body: () async throws(APIError) -> T
    ) async throws(APIError) -> T {
        var server = 0
        return try await retryingInRounds(of: 1, from: &server, until: deadline, maxDelay: maxDelay) { _ async throws(APIError) in
            try await body()
        }
    }

    /// Runs `body` on the servers of `servers` in turn, starting with the one at index
    /// `current`, until one succeeds: a transient failure (transport, 5xx, 429) moves on
    /// to the next server at once; only after every server has failed in a row does it
    /// wait, with the growing delay of ``retrying(until:maxDelay:_:)``, until `deadline`.
    /// `current` is left at the server that answered, for the calls that follow.
    ///
    /// - Throws: the first permanent failure, or the last transient one at the deadline.
    public static func retrying<T: Sendable>(
        on servers: ServerList, from current: inout Int, until deadline: ContinuousClock.Instant,
        maxDelay: Duration = .seconds(4), _ body: (ServerEndpoint) async throws(APIError) -> T
    ) async throws(APIError) -> T {
        let endpoints = servers.endpoints
        return try await retryingInRounds(of: endpoints.count, from: &current, until: deadline, maxDelay: maxDelay) {
            index async throws(APIError) in try await body(endpoints[index])
        }
    }

    private static func retryingInRounds<T: Sendable>(
        of count: Int, from current: inout Int, until deadline: ContinuousClock.Instant, maxDelay: Duration,
        _ body: (Int) async throws(APIError) -> T
    ) async throws(APIError) -> T {
        var rounds = 0
        var failedInRound = 0
        current = min(max(0, current), count - 1)
        while true {
            do {
                return try await body(current)
            } catch where error.isTransient {
                current = (current + 1) % count
                failedInRound += 1
                guard failedInRound == count else {
                    guard ContinuousClock.now < deadline else { throw error }
                    continue
                }
                failedInRound = 0
                rounds += 1
                let delay = error.retryAfter ?? min(maxDelay, .milliseconds(250) * (1 << min(rounds, 10)))
                guard ContinuousClock.now + delay < deadline else { throw error }
                do { try await Task.sleep(for: delay) } catch { throw APIError(kind: .transport, detail: "cancelled") }
            }
        }
    }
}
