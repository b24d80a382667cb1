/// Something a test starts and must stop before it ends: a server, a cluster, a listener.
public protocol TestFixture: Sendable {
    /// Stops it for good and removes what it left on disk; it is not used again.
    func tearDown() async
}

extension TestFixture {
    /// Runs `body` with this fixture, then awaits `tearDown()` whether `body` returned or threw,
    /// so that nothing a test started outlives it and loads the tests that follow.
    ///
    /// A tear-down that takes longer than `tearDownLimit` fails the test instead of hanging
    /// the whole run; the fixture is then left running.
    public func whileRunning<Result>(
        tearDownLimit: Duration = .seconds(180), _ body: (Self) async throws -> Result
    ) async throws -> Result {
        let result: Result
        do {
            result = try await body(self)
        } catch {
            try await tearDown(within: tearDownLimit)
            throw error
        }
        try await tearDown(within: tearDownLimit)
        return result
    }

    private func tearDown(within limit: Duration) async throws {
        let fixture = self
        let stopped = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answered = SharedValue(false)
            let answer: @Sendable (Bool) -> Void = { stopped in
                if answered.update({ already in defer { already = true }; return !already }) { continuation.resume(returning: stopped) }
            }
            // A deadline, not a wait: the tear-down usually ends long before.
            let deadline = Task {
                try? await Task.sleep(for: limit)
                answer(false)
            }
            Task {
                await fixture.tearDown()
                answer(true)
                deadline.cancel()
            }
        }
        if !stopped { throw TearDownTimeout(fixture: "\(Self.self)", limit: limit) }
    }
}

/// A fixture's tear-down that did not end in time.
public struct TearDownTimeout: Error, CustomStringConvertible {
    /// The fixture's type.
    public let fixture: String
    /// How long it was given.
    public let limit: Duration

    public var description: String { "\(fixture) did not stop within \(limit); it is left running" }
}
