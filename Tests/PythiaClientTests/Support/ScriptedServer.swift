import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import PythiaClient
import PythiaTestSupport
import Synchronization

/// A stand-in for a Pythia deployment that is not ours: it speaks only the frames of
/// `websocket-api.md` — whole-second timestamps, no `reactions`, no `message_updated`,
/// channels without `member_count`/`is_member`, users without `created_at` — and sends
/// an unknown event type, unknown fields and a malformed frame to every new connection.
final class ScriptedServer: TestFixture, Sendable {
    struct Account: Sendable { let id, username, token: String }
    struct StoredMessage: Sendable { let id, channelId, userId, content: String; let at: Date }

    static let alice = Account(id: "a1111111-0000-4000-8000-000000000001", username: "alice", token: "alice-opaque-token")
    static let bob = Account(id: "b2222222-0000-4000-8000-000000000002", username: "bob", token: "bob-opaque-token")
    static let lobbyId = "c3333333-0000-4000-8000-000000000003"

    private struct World {
        var messages: [StoredMessage] = []
        var sockets: [UUID: WebSocketOutboundWriter] = [:]
        var acceptingSockets = true
        var answersPings = true
        var answersOnlineUsers = true
        var handshakes = 0
        var refusedHandshakes = 0
        /// Statuses the next posts fail with, in order (a 429 says `Retry-After: 1`).
        var postFailures: [HTTPResponse.Status] = []
        var postAttempts = 0
        var secondsClock = 1_704_623_400  // 2024-01-07T10:30:00Z
    }

    private let world = Mutex(World())
    private let running = Mutex<(task: Task<Void, any Error>, port: Int)?>(nil)

    private init() {}

    var port: Int { running.withLock { $0?.port ?? 0 } }

    var endpoint: ServerEndpoint { try! ServerEndpoint("http://127.0.0.1:\(port)") }

    static func start() async throws -> ScriptedServer {
        let server = ScriptedServer()
        let router = Router(context: BasicWebSocketRequestContext.self)
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        // Routes first: the application builds its responder when it is created.
        server.addRoutes(router, webSocketRouter)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { portContinuation.yield($0.localAddress?.port ?? 0) })
        let task = Task { try await app.runService() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        server.running.withLock { $0 = (task, port) }
        return server
    }

    func tearDown() async { await stop() }

    /// A session of alice's on this server, started, with `configure` applied to its configuration.
    func startedSession(configure: (inout Session.Configuration) -> Void) async -> Session {
        var configuration = Session.Configuration()
        configure(&configuration)
        let session = Session(endpoint: endpoint, token: Self.alice.token, configuration: configuration)
        await session.start()
        return session
    }

    func stop() async {
        guard let task = running.withLock({ $0?.task }) else { return }
        task.cancel()
        _ = try? await task.value
    }

    /// Whether `get_online_users` is answered (a server that drops the question when not).
    func setAnsweringOnlineUsers(_ answering: Bool) {
        world.withLock { $0.answersOnlineUsers = answering }
    }

    /// While false, every handshake is refused (the server is "restarting").
    func setAcceptingSockets(_ accepting: Bool) async {
        let sockets = world.withLock { world in
            world.acceptingSockets = accepting
            return accepting ? [] : Array(world.sockets.values)
        }
        for socket in sockets { try? await socket.close(.goingAway, reason: "restarting") }
    }

    var connectionCount: Int { world.withLock { $0.sockets.count } }

    /// Makes the next posts fail with `statuses`, in order.
    func failNextPosts(_ statuses: [Int]) { world.withLock { $0.postFailures = statuses.map { HTTPResponse.Status(code: $0) } } }

    /// How many posts were attempted, failed ones included.
    var postAttempts: Int { world.withLock { $0.postAttempts } }

    /// How many WebSocket handshakes were accepted so far.
    var handshakes: Int { world.withLock { $0.handshakes } }

    /// How many WebSocket handshakes were refused while not accepting sockets.
    var refusedHandshakes: Int { world.withLock { $0.refusedHandshakes } }

    /// While false the server stays silent: no `pong`, as a half-dead connection would.
    func setAnswersPings(_ answers: Bool) { world.withLock { $0.answersPings = answers } }

    /// Posts as `account`, broadcasting `new_message` to every open socket.
    @discardableResult
    func post(_ content: String, as account: Account) async -> StoredMessage {
        let (message, sockets) = world.withLock { world in
            world.secondsClock += 1
            let message = StoredMessage(
                id: UUID().uuidString.lowercased(), channelId: Self.lobbyId, userId: account.id, content: content,
                at: Date(timeIntervalSince1970: Double(world.secondsClock)))
            world.messages.append(message)
            return (message, Array(world.sockets.values))
        }
        let frame = #"{"type": "new_message", "data": \#(json(message)), "timestamp": "\#(stamp(message.at))"}"#
        for socket in sockets { try? await socket.write(.text(frame)) }
        return message
    }

    var storedContents: [String] { world.withLock { $0.messages.map(\.content) } }

    // MARK: - Wire

    private func stamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    private func account(_ token: String?) -> Account? {
        [Self.alice, Self.bob].first { $0.token == token }
    }

    private func json(_ message: StoredMessage) -> String {
        let author = account([Self.alice, Self.bob].first { $0.id == message.userId }?.token)!
        let content = String(data: try! JSONSerialization.data(withJSONObject: [message.content], options: []), encoding: .utf8)!.dropFirst().dropLast()
        return #"{"id": "\#(message.id)", "content": \#(content), "channelId": "\#(message.channelId)", "userId": "\#(message.userId)", "createdAt": "\#(stamp(message.at))", "updatedAt": "\#(stamp(message.at))", "user": {"id": "\#(author.id)", "username": "\#(author.username)", "email": "\#(author.username)@example.com"}}"#
    }

    private func caller(_ request: Request) -> Account? {
        account(request.headers[.authorization].map { String($0.dropFirst("Bearer ".count)) })
    }

    private func respond(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private func addRoutes(_ router: Router<BasicWebSocketRequestContext>, _ webSocketRouter: Router<BasicWebSocketRequestContext>) {
        let unauthorized = #"{"detail": "Could not validate credentials"}"#
        router.get("api/v1/auth/me") { request, _ -> Response in
            guard let me = self.caller(request) else { return self.respond(.unauthorized, unauthorized) }
            return self.respond(.ok, #"{"id": "\#(me.id)", "username": "\#(me.username)", "email": "\#(me.username)@example.com"}"#)
        }
        router.get("api/v1/channels") { request, _ -> Response in
            guard self.caller(request) != nil else { return self.respond(.unauthorized, unauthorized) }
            return self.respond(.ok, #"[{"id": "\#(Self.lobbyId)", "name": "lobby", "description": "", "is_private": false, "created_by": "\#(Self.bob.id)", "created_at": "2024-01-07T10:30:00Z"}]"#)
        }
        router.get("api/v1/messages") { request, _ -> Response in
            guard self.caller(request) != nil else { return self.respond(.unauthorized, unauthorized) }
            let query = request.uri.queryParameters
            let limit = query.get("limit").flatMap { Int(String($0)) } ?? 50
            let all = self.world.withLock { $0.messages }
            var page = all[...]
            if let after = query.get("after").map({ String($0) }), let index = all.firstIndex(where: { $0.id == after }) {
                page = all[(index + 1)...].prefix(limit)
            } else if let before = query.get("before").map({ String($0) }), let index = all.firstIndex(where: { $0.id == before }) {
                page = all[..<index].suffix(limit)
            } else {
                page = all.suffix(limit)
            }
            return self.respond(.ok, "[" + page.map(self.json).joined(separator: ", ") + "]")
        }
        router.post("api/v1/messages") { request, _ -> Response in
            guard let me = self.caller(request) else { return self.respond(.unauthorized, unauthorized) }
            // Read before any answer: a response that leaves its request's body unread keeps
            // the connection from finishing, and the server's stop then waits out its grace.
            let body = try await request.body.collect(upTo: 1 << 16)
            let failure = self.world.withLock { world -> HTTPResponse.Status? in
                world.postAttempts += 1
                return world.postFailures.isEmpty ? nil : world.postFailures.removeFirst()
            }
            if let failure {
                var response = self.respond(failure, #"{"detail": "try later"}"#)
                if failure == .tooManyRequests { response.headers[.retryAfter] = "1" }
                return response
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
                  let content = object["content"] as? String
            else { return self.respond(.unprocessableContent, #"{"detail": [{"loc": ["body", "content"], "msg": "field required"}]}"#) }
            let message = await self.post(content, as: me)
            return self.respond(.created, self.json(message))
        }
        webSocketRouter.ws("ws") { request, _ in
            let accepting = self.world.withLock { world in
                if !world.acceptingSockets { world.refusedHandshakes += 1 }
                return world.acceptingSockets
            }
            return accepting && self.account(request.uri.queryParameters.get("token").map { String($0) }) != nil ? .upgrade([:]) : .dontUpgrade
        } onUpgrade: { inbound, outbound, context in
            guard let me = self.account(context.request.uri.queryParameters.get("token").map { String($0) }) else { return }
            let id = UUID()
            self.world.withLock {
                $0.sockets[id] = outbound
                $0.handshakes += 1
            }
            defer { self.world.withLock { _ = $0.sockets.removeValue(forKey: id) } }
            let now = "2024-01-07T10:30:00Z"
            try await outbound.write(.text(#"{"type": "connection_established", "user_id": "\#(me.id)", "username": "\#(me.username)", "timestamp": "\#(now)"}"#))
            try await outbound.write(.text(#"{"type": "channel_archived", "channel_id": "\#(Self.lobbyId)", "timestamp": "\#(now)"}"#))
            try await outbound.write(.text("this is not json {"))
            try await outbound.write(.text(#"{"type": "user_status", "user_id": "\#(Self.bob.id)", "status": "online", "timestamp": "\#(now)", "device": "pager"}"#))
            try await outbound.write(.text(#"{"no_type": true}"#))
            for try await message in inbound.messages(maxSize: 1 << 16) {
                guard case .text(let text) = message,
                      let frame = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                      let type = frame["type"] as? String
                else { continue }
                let channel = frame["channel_id"] as? String ?? ""
                switch type {
                case "ping" where self.world.withLock({ $0.answersPings }): try await outbound.write(.text(#"{"type": "pong", "timestamp": "\#(now)"}"#))
                case "join_channel": try await outbound.write(.text(#"{"type": "channel_joined", "channel_id": "\#(channel)", "timestamp": "\#(now)"}"#))
                case "get_online_users" where self.world.withLock({ $0.answersOnlineUsers }):
                    let online = self.world.withLock { _ in [Self.alice.id] }
                    try await outbound.write(.text(#"{"type": "online_users", "channel_id": "\#(channel)", "users": ["\#(online.joined(separator: "\", \""))"], "timestamp": "\#(now)"}"#))
                default: break
                }
            }
        }
    }
}
