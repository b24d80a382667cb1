import PythiaClient
import PythiaProtocol

/// A second user on a real WebSocket who keeps saying "I am typing" in a channel.
struct TypingClient {
    private let connection: RealtimeConnection
    private let runner: Task<Void, Never>
    private let typer: Task<Void, Never>

    static func start(endpoint: ServerEndpoint, token: String, channelId: String) async throws -> TypingClient {
        let connection = RealtimeConnection(endpoint: endpoint, credentials: .fixed(token))
        let runner = Task { await connection.run() }
        // Wait for the connection before typing.
        for await event in connection.events {
            if case .state(.connected) = event { break }
        }
        let typer = Task {
            while !Task.isCancelled {
                try? await connection.send(.typingIndicator(channelId: channelId, isTyping: true))
                // A real typist's rhythm: again before the server's typing expiry ends it.
                try? await Task.sleep(for: .seconds(2))
            }
        }
        return TypingClient(connection: connection, runner: runner, typer: typer)
    }

    func stop() async {
        typer.cancel()
        runner.cancel()
        await runner.value
    }
}
