/// Something a test starts and must stop before it ends: a server, a cluster, a listener.
public protocol TestFixture {
    /// Stops it for good and removes what it left on disk; it is not used again.
    func tearDown() async
}

extension TestFixture {
    /// Runs `body` with this fixture, then awaits `tearDown()` whether `body` returned or threw,
    /// so that nothing a test started outlives it and loads the tests that follow.
    public func whileRunning<Result>(_ body: (Self) async throws -> Result) async throws -> Result {
        let result: Result
        do {
            result = try await body(self)
        } catch {
            await tearDown()
            throw error
        }
        await tearDown()
        return result
    }
}
