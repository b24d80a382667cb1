@testable import PythiaServer
import Testing

/// The first of a call and its deadline answers the caller, and nothing stuck holds it.
@Suite struct FirstOutcomeTests {
    private struct Late: Error {}

    /// An operation that never returns (a statement lost on a closed connection).
    private static func never() async throws -> Int {
        try await withCheckedThrowingContinuation { (_: CheckedContinuation<Int, any Error>) in }
    }

    @Test func theOperationAnswersWhenItIsFirst() async throws {
        let value = try await FirstOutcome<Int>.of({ 7 }, within: .seconds(3600)) { Late() }
        #expect(value == 7)
    }

    @Test func theDeadlineAnswersWhenTheOperationNeverReturns() async throws {
        await #expect(throws: Late.self) {
            try await FirstOutcome<Int>.of({ try await Self.never() }, within: .milliseconds(10)) { Late() }
        }
    }

    /// A listener stopping while its probe waits on a connection that never answers: the stop
    /// must not wait for the probe's hour-long deadline (it once held a server's stop).
    @Test func aCancelledCallerIsAnsweredAtOnceThoughNeitherEnds() async throws {
        let caller = Task {
            try await FirstOutcome<Int>.of({ try await Self.never() }, within: .seconds(3600)) { Late() }
        }
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
    }
}
