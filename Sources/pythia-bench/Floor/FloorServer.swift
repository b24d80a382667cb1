import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import PythiaServer

/// A bare Hummingbird WebSocket broadcast — no auth, no JSON, no storage — that `floor`
/// measures the full server against.
///
/// `GET /ws?channel=N` upgrades and subscribes to channel N; `POST /publish?channel=N` sends
/// its plain-text body to every subscriber of N. One task per connection drains its stream
/// into the socket: the straightforward shape of a Hummingbird chat room.
struct FloorServer: Sendable {
    /// Starts the server on `host`, an ephemeral port, in a task of its own; returns once it
    /// listens.
    static func start(host: String = "127.0.0.1") async throws -> RunningServer {
        let hub = FloorHub()
        let router = Router()
        router.post("publish") { request, context -> HTTPResponse.Status in
            guard let channel = request.uri.queryParameters.get("channel", as: Int.self) else {
                throw HTTPError(.badRequest, message: "channel query parameter missing")
            }
            let body = try await request.body.collect(upTo: 1 << 16)
            hub.broadcast(String(buffer: body), to: channel)
            return .noContent
        }
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        webSocketRouter.ws("ws") { request, _ in
            request.uri.queryParameters.get("channel", as: Int.self) == nil ? .dontUpgrade : .upgrade()
        } onUpgrade: { inbound, outbound, context in
            let channel = context.request.uri.queryParameters.get("channel", as: Int.self) ?? 0
            let (id, stream) = hub.join(channel: channel)
            defer { hub.leave(channel: channel, id: id) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await _ in inbound {}
                }
                group.addTask {
                    for await text in stream { try await outbound.write(.text(text)) }
                }
                try await group.next()
                group.cancelAll()
            }
        }
        var logger = Logger(label: "pythia-bench.floor")
        logger.logLevel = .critical
        return try await RunningServer.start(logger: logger) { onRunning in
            Application(
                router: router,
                server: .http1WebSocketUpgrade(
                    webSocketRouter: webSocketRouter,
                    configuration: .init(ws: .init(maxFrameSize: 1 << 16))
                ),
                // The chat server's listen queue: a storm meets the same queue on both.
                configuration: .init(
                    address: .hostname(host, port: 0), serverName: "pythia-bench-floor",
                    backlog: ServerConfiguration(databasePath: "").listenBacklog),
                onServerRunning: { channel in
                    // As the chat server accepts: a storm is judged against the same accepting.
                    let accepts = ServerConfiguration(databasePath: "").acceptsPerWakeup
                    try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: accepts).get()
                    await onRunning(channel)
                },
                logger: logger
            )
        }
    }
}
