/// Runs the UI's intents one after another, in the order the user gave them (two lines
/// sent quickly must arrive in order), reporting failures as inline errors.
final class IntentQueue: Sendable {
    typealias Intent = @Sendable () async throws -> Void

    private let continuation: AsyncStream<Intent>.Continuation
    private let worker: Task<Void, Never>

    init(mailbox: Mailbox) {
        let (stream, continuation) = AsyncStream<Intent>.makeStream()
        self.continuation = continuation
        worker = Task {
            for await intent in stream {
                do {
                    try await intent()
                } catch {
                    mailbox.post(notice: TypingLine.Notice("\(error)", isError: true))
                }
            }
        }
    }

    func enqueue(_ intent: @escaping Intent) {
        continuation.yield(intent)
    }

    /// Stops taking intents; those queued still run.
    func finish() {
        continuation.finish()
    }

    deinit {
        continuation.finish()
    }
}
