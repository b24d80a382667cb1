extension APIClient {
    /// Runs `body` until it succeeds, retrying transient failures (transport, 5xx, 429
    /// with its `Retry-After`) with a growing delay, until `deadline`.
    ///
    /// - Throws: the first permanent failure, or the last transient one at the deadline.
    public static func retrying<T: Sendable>(
        until deadline: ContinuousClock.Instant, maxDelay: Duration = .seconds(4),
        _ body: () async throws(APIError) -> T
    ) async throws(APIError) -> T {
        var failures = 0
        while true {
            do {
                return try await body()
            } catch where error.isTransient {
                failures += 1
                let delay = error.retryAfter ?? min(maxDelay, .milliseconds(250) * (1 << min(failures, 10)))
                guard ContinuousClock.now + delay < deadline else { throw error }
                do { try await Task.sleep(for: delay) } catch { throw APIError(kind: .transport, detail: "cancelled") }
            }
        }
    }
}
