import Hummingbird
import Logging
import NIOCore

/// A Hummingbird application running in a task of this process, until ``stop()``.
struct RunningServer: Sendable {
    /// The port it listens on.
    let port: Int
    private let task: Task<Void, any Error>

    /// Builds the application with an `onServerRunning` callback, runs it, and returns once it
    /// listens.
    static func start<App: ApplicationProtocol>(
        logger: Logger,
        _ makeApplication: (@escaping @Sendable (any Channel) async -> Void) -> App
    ) async throws -> RunningServer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = makeApplication { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        let task = Task {
            defer { continuation.finish() }
            try await application.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            try await task.value
            throw BenchError.targetFailed("the floor server did not start listening")
        }
        return RunningServer(port: port, task: task)
    }

    /// Stops the server and waits for it.
    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
