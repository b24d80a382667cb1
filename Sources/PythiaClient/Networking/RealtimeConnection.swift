import HummingbirdWSClient
public import Logging
import NIOCore
import NIOWebSocket
import NIOSSL
public import PythiaProtocol
import Synchronization

/// The WebSocket to `/ws?token=`, kept open: reconnects with ``ReconnectPolicy``,
/// pings every 20 s, treats 45 s of silence as a dead connection, and asks its
/// ``ConnectionCredentials`` what to do when the token is refused. A refused server
/// certificate is final: it fails the connection instead of retrying.
///
/// Everything it learns comes out of ``events`` in order: state changes and frames.
public actor RealtimeConnection {
    /// What the connection reports.
    public enum Event: Sendable {
        /// The connection's state changed.
        case state(ConnectionState)
        /// A text frame arrived: its text as received, and the event when it decodes.
        case frame(text: String, event: ServerEvent?)
    }

    /// Timings and limits; the defaults are the contract's.
    public struct Configuration: Sendable {
        /// How often a `ping` frame is sent.
        public var pingInterval: Duration = .seconds(20)
        /// How long without any frame before the connection counts as dead.
        public var deadAfter: Duration = .seconds(45)
        /// The largest frame accepted.
        public var maxFrameSize: Int = Limits.maxPayloadBytes
        /// How long the server may take to answer the WebSocket handshake before the
        /// attempt is given up (and retried after the backoff).
        public var handshakeTimeout: Duration = .seconds(10)
        /// How long to wait for the server's close frame after ours.
        public var closeTimeout: Duration = .seconds(2)
        /// The backoff between attempts.
        public var policy = ReconnectPolicy()

        /// The contract's defaults.
        public init() {}
    }

    /// State changes and frames, in the order they happened. Finishes when ``run()`` returns.
    public nonisolated let events: AsyncStream<Event>
    let continuation: AsyncStream<Event>.Continuation
    let endpoint: ServerEndpoint
    let credentials: ConnectionCredentials
    let configuration: Configuration
    let logger: Logger
    private var policy: ReconnectPolicy
    private var outbound: WebSocketOutboundWriter?
    private var backoff: Task<Void, Never>?
    private var skipBackoff = false
    /// The attempt waiting for the server's handshake answer, if any.
    var pendingHandshake: PendingHandshake?

    /// Creates a connection; nothing happens until ``run()``.
    public init(
        endpoint: ServerEndpoint, credentials: ConnectionCredentials, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "pythia.client.connection")
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.configuration = configuration
        self.logger = logger
        self.policy = configuration.policy
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Connects and keeps reconnecting until the task is cancelled or the token is
    /// refused for good; then finishes ``events``.
    public func run() async {
        defer { continuation.finish() }
        var random = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            continuation.yield(.state(.connecting))
            let outcome = await connectOnce(token: await credentials.token())
            if Task.isCancelled { break }
            if let failure = outcome.failure {
                logger.debug("websocket: \(failure.message)")
                continuation.yield(.state(.failed(failure)))
                return
            }
            if outcome.needsCredentialCheck {
                switch await credentials.recover() {
                case .retryNow:
                    policy.reset()
                    continue
                case .retryLater:
                    break
                case .fail(let failure):
                    continuation.yield(.state(.failed(failure)))
                    return
                }
            }
            let (delay, attempt) = policy.connectionLost(uptime: outcome.uptime, using: &random)
            logger.debug("websocket closed (\(outcome.reason)); retry \(attempt) in \(delay)")
            continuation.yield(.state(.reconnecting(in: delay, attempt: attempt)))
            await waitBeforeRetry(delay)
        }
        continuation.yield(.state(.disconnected))
    }

    /// Sends one frame on the open connection.
    public func send(_ frame: ClientFrame) async throws(ConnectionError) {
        guard let outbound else { throw .notConnected }
        do {
            try await outbound.write(.text(frame.jsonText))
        } catch {
            throw .writeFailed(String(describing: error))
        }
    }

    /// Skips the current backoff delay, or drops the open connection to start a fresh one.
    public func reconnectNow() async {
        skipBackoff = true
        backoff?.cancel()
        pendingHandshake?.abandon(because: "reconnect asked")
        if let outbound {
            try? await outbound.close(.goingAway, reason: "reconnecting")
        }
    }

    private func waitBeforeRetry(_ delay: Duration) async {
        guard !skipBackoff else {
            skipBackoff = false
            return
        }
        let sleeper = Task { _ = try? await Task.sleep(for: delay) }
        backoff = sleeper
        await withTaskCancellationHandler { await sleeper.value } onCancel: { sleeper.cancel() }
        backoff = nil
        skipBackoff = false
    }

    func attach(_ writer: WebSocketOutboundWriter?) { outbound = writer }

    func established() { continuation.yield(.state(.connected)) }
}
