import HummingbirdWSClient
public import Logging
import NIOCore
import NIOWebSocket
import NIOSSL
public import PythiaProtocol
import Synchronization

/// The WebSocket to `/ws?token=`, kept open: reconnects with ``ReconnectPolicy``, moving
/// on to the next server of its ``ServerList`` as ``FailoverPolicy`` says; pings every
/// 20 s, treats 45 s of silence as a dead connection, and asks its
/// ``ConnectionCredentials`` what to do when the token is refused. A refused server
/// certificate is final, on any server of the list: it fails the connection instead of
/// retrying, until ``reconnectNow()`` asks again (the user mended the cause).
///
/// Everything it learns comes out of ``events`` in order: state changes and frames.
public actor RealtimeConnection {
    /// What the connection reports.
    public enum Event: Sendable {
        /// The connection's state changed.
        case state(ConnectionState)
        /// A text frame arrived: its text as received, and the event when it decodes.
        case frame(text: String, event: ServerEvent?)
        /// With several servers: the one the next attempts go to (first the list's first,
        /// then each one the connection moves on to). Never sent with one server.
        case server(ServerEndpoint)
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
        /// The backoff between attempts (between whole rounds of the list, with several servers).
        public var policy = ReconnectPolicy()
        /// The clock the backoff waits, the pings and the dead-connection deadline run on
        /// (tests advance their own).
        public var clock: any Clock<Duration> = ContinuousClock()

        /// The contract's defaults.
        public init() {}
    }

    /// State changes and frames, in the order they happened. Finishes when ``run()`` returns.
    public nonisolated let events: AsyncStream<Event>
    let continuation: AsyncStream<Event>.Continuation
    /// The servers, in the order to try them.
    let servers: ServerList
    /// The server in use, or being tried.
    private(set) var endpoint: ServerEndpoint
    let credentials: ConnectionCredentials
    let configuration: Configuration
    let logger: Logger
    private var failover: FailoverPolicy
    private var outbound: WebSocketOutboundWriter?
    private var backoff: Task<Void, Never>?
    private var skipBackoff = false
    /// Whether ``Event/server(_:)`` has named the server in use yet.
    private var announcedServer = false
    /// The connection (or attempt) under way was dropped by ``reconnectNow()``.
    private var reconnectAsked = false
    /// The attempt waiting for the server's handshake answer, if any.
    var pendingHandshake: PendingHandshake?
    /// Set while a final failure waits for ``reconnectNow()``.
    private var waitsToBeAskedAgain = false
    /// What ``reconnectNow()`` tells a final failure waiting to be asked again.
    private let askedAgain: AsyncStream<Void>
    private let askAgain: AsyncStream<Void>.Continuation

    /// Creates a connection to one of `servers`, the first first; nothing happens until ``run()``.
    public init(
        servers: ServerList, credentials: ConnectionCredentials, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "pythia.client.connection")
    ) {
        self.servers = servers
        self.endpoint = servers.first
        self.credentials = credentials
        self.configuration = configuration
        self.logger = logger
        self.failover = FailoverPolicy(serverCount: servers.endpoints.count, policy: configuration.policy)
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        (askedAgain, askAgain) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Creates a connection to one server; nothing happens until ``run()``.
    public init(
        endpoint: ServerEndpoint, credentials: ConnectionCredentials, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "pythia.client.connection")
    ) {
        self.init(servers: ServerList(endpoint), credentials: credentials, configuration: configuration, logger: logger)
    }

    /// Connects and keeps reconnecting until the task is cancelled; then finishes
    /// ``events``. After a failure that retrying cannot mend (a refused certificate, a token
    /// refused for good) it reports ``ConnectionState/failed(_:)`` and tries again only when
    /// ``reconnectNow()`` asks.
    public func run() async {
        defer { continuation.finish() }
        var random = SystemRandomNumberGenerator()
        await use(servers.first)
        attempts: while !Task.isCancelled {
            continuation.yield(.state(.connecting))
            let outcome = await connectOnce(token: await credentials.token())
            if Task.isCancelled { break }
            if let failure = outcome.failure {
                logger.debug("websocket: \(failure.message)")
                continuation.yield(.state(.failed(failure)))
                guard await waitToBeAskedAgain() else { break }
                continue
            }
            if reconnectAsked {
                (reconnectAsked, skipBackoff) = (false, false)
                continue
            }
            if outcome.needsCredentialCheck {
                switch await credentials.recover() {
                case .retryNow:
                    failover.reset()
                    continue
                case .retryLater:
                    break
                case .fail(let failure):
                    continuation.yield(.state(.failed(failure)))
                    guard await waitToBeAskedAgain() else { break attempts }
                    continue attempts
                }
            }
            let (next, delay, attempt) = failover.connectionLost(uptime: outcome.uptime, using: &random)
            logger.debug("websocket to \(endpoint) closed (\(outcome.reason)); retry \(attempt) in \(delay)")
            // Moved before the wait: the REST calls made meanwhile go to the server tried next.
            await use(servers.endpoints[next])
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

    /// Skips the current backoff delay, or drops the open connection (or attempt) to start
    /// a fresh one on the same server: being asked is no sign that the server is down.
    public func reconnectNow() async {
        if waitsToBeAskedAgain {
            askAgain.yield()
            return
        }
        skipBackoff = true
        backoff?.cancel()
        if outbound != nil || pendingHandshake != nil { reconnectAsked = true }
        pendingHandshake?.abandon(because: "reconnect asked")
        if let outbound {
            try? await outbound.close(.goingAway, reason: "reconnecting")
        }
    }

    /// After a final failure: waits until ``reconnectNow()`` asks again, then starts over on
    /// the list's first server. Returns false when the task is cancelled meanwhile.
    private func waitToBeAskedAgain() async -> Bool {
        waitsToBeAskedAgain = true
        defer { waitsToBeAskedAgain = false }
        for await _ in askedAgain {
            guard !Task.isCancelled else { return false }
            failover.reset()
            await use(servers.first)
            return true
        }
        return false
    }

    /// Makes `server` the one the next attempts (and the credentials' REST calls) go to.
    private func use(_ server: ServerEndpoint) async {
        guard servers.endpoints.count > 1, server != endpoint || !announcedServer else { return }
        endpoint = server
        announcedServer = true
        await credentials.serverChanged(server)
        continuation.yield(.server(server))
    }

    /// A REST call to `server` was answered 503: that server cannot serve now (its
    /// database is unreachable, say) even if its WebSocket is up. With several servers,
    /// when it is the one in use, the connection is dropped and counts as lost, so the
    /// next server is tried as ``FailoverPolicy`` says; with one server nothing changes.
    public func serverUnavailable(_ server: ServerEndpoint) async {
        guard servers.endpoints.count > 1, server == endpoint else { return }
        logger.debug("\(server) answered 503: moving on")
        pendingHandshake?.abandon(because: "\(server) is unavailable")
        if let outbound {
            try? await outbound.close(.goingAway, reason: "server unavailable")
        }
    }

    private func waitBeforeRetry(_ delay: Duration) async {
        guard !skipBackoff else {
            skipBackoff = false
            return
        }
        let clock = configuration.clock
        let sleeper = Task { _ = try? await clock.sleep(for: delay) }
        backoff = sleeper
        await withTaskCancellationHandler { await sleeper.value } onCancel: { sleeper.cancel() }
        backoff = nil
        skipBackoff = false
    }

    func attach(_ writer: WebSocketOutboundWriter?) { outbound = writer }

    func established() { continuation.yield(.state(.connected)) }
}
