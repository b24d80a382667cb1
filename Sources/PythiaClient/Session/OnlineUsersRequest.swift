/// A ``Session/onlineUsers(in:)`` question waiting for its answer, with its own timeout.
struct OnlineUsersRequest: Sendable {
    let continuation: CheckedContinuation<Result<[String], SessionError>, Never>
    /// Sends the question and waits out the timeout; cancelled once the answer came.
    let timeout: Task<Void, Never>

    func finish(with answer: Result<[String], SessionError>) {
        timeout.cancel()
        continuation.resume(returning: answer)
    }
}
