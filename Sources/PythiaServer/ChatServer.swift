import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOWebSocket
public import PythiaProtocol
import ServiceLifecycle
import Synchronization

/// The Pythia Conversations server: REST under `/api/v1`, WebSocket at `/ws`,
/// `/health` and `/metrics`, over one SQLite database or a PostgreSQL one.
///
/// ```swift
/// let server = try await ChatServer.start(ServerConfiguration(port: 0, databasePath: path))
/// print(server.baseURL)
/// await server.shutdown()
/// ```
public final class ChatServer: Sendable {
    /// The bound port (the real one when port 0 was asked).
    public let port: Int
    private let host: String
    private let isSecure: Bool
    private let service: ChatService
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, any Error>
    private let stopping = Mutex(false)
    /// The account watcher and the retention job, cancelled at shutdown.
    private let backgroundTasks: [Task<Void, Never>]
    /// Held shared while serving: `pythia-chat admin restore` refuses while it is.
    private let databaseLock: DatabaseLock?

    /// The `/metrics` text, read in process: what a test checks without a connection that
    /// the limits it tests could close.
    var metricsExposition: String { service.metrics.exposition() }

    /// `http://HOST:PORT`, or `https://` when serving TLS.
    public var baseURL: String {
        let shownHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "\(isSecure ? "https" : "http")://\(shownHost.contains(":") ? "[\(shownHost)]" : shownHost):\(port)"
    }

    private init(
        port: Int, host: String, isSecure: Bool, service: ChatService, serviceGroup: ServiceGroup, runTask: Task<Void, any Error>,
        backgroundTasks: [Task<Void, Never>], databaseLock: DatabaseLock?
    ) {
        self.backgroundTasks = backgroundTasks
        self.databaseLock = databaseLock
        self.port = port
        self.host = host
        self.isSecure = isSecure
        self.service = service
        self.serviceGroup = serviceGroup
        self.runTask = runTask
    }

    /// Opens the database, binds the port and starts serving; returns once listening.
    /// - Throws: ``ServerError`` saying what is wrong (short secret, database, port, TLS files).
    public static func start(_ configuration: ServerConfiguration) async throws -> ChatServer {
        let tls = try configuration.tls?.serverConfiguration()
        let database = try await OpenedDatabase.open(configuration)
        let (storage, secret) = (database.storage, database.secret)
        let metrics = ServerMetrics()
        let hub = Hub(
            typingExpiry: configuration.typingExpiry, presenceFlushDelay: configuration.presenceFlushDelay,
            clock: configuration.timerClock, metrics: metrics)
        let passwords = PasswordHasher(cost: configuration.bcryptCost, limit: configuration.passwordHashingLimit)
        let serverHasChannels = try await storage.hasChannels()
        // Last before serving: a started cluster broker heart-beats until it is shut down.
        let broker: any Broker
        if let cluster = database.cluster ?? configuration.cluster {
            do {
                broker = try await PostgresBroker.start(
                    cluster, hub: hub, clock: configuration.timerClock, channelIds: { try await storage.channelIds(memberOf: $0) }, logger: configuration.logger)
            } catch {
                await database.close()
                throw error
            }
        } else {
            broker = InProcessBroker(hub: hub)
        }
        await hub.report(to: broker)
        let service = ChatService(
            configuration: configuration, storage: configuration.wrapStorage?(storage) ?? storage,
            tokens: await TokenAuthority(secret: secret, ttl: configuration.tokenTTL),
            hub: hub, broker: broker, metrics: metrics,
            writeLimiter: WriteRateLimiter(limit: configuration.restWriteRate),
            authThrottle: AuthThrottle(
                rate: configuration.authRate, failureLimit: configuration.loginFailureLimit,
                retryInterval: configuration.loginRetryInterval),
            clientAddress: ClientAddress(trustedProxies: configuration.trustedProxies),
            passwords: passwords,
            decoyPasswordHash: passwords.decoyHash(),
            defaultChannel: DefaultChannel(name: configuration.defaultChannel, serverHasChannels: serverHasChannels))

        let limits = ConnectionLimits(configuration, metrics: metrics)
        let (started, startedContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: makeRouter(service),
            server: HTTPServerBuilder { responder in
                let plain = WebSocketUpgrade(responder: responder, service: service, limits: limits)
                guard let tls else { return plain }
                return try TLSServerChannel(plain, configuration: tls)
            },
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), backlog: configuration.listenBacklog, reuseAddress: true),
            onServerRunning: { channel in
                try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: configuration.acceptsPerWakeup).get()
                try? await channel.pipeline.addHandler(AcceptOrderHandler(limits: limits), position: .first)
                startedContinuation.yield(channel.localAddress?.port ?? configuration.port)
            },
            logger: configuration.logger)
        var groupConfiguration = ServiceGroupConfiguration(services: [app], logger: configuration.logger)
        // A graceful shutdown waits for every connection to finish its request, and a peer
        // can keep one unfinished for ever (a body that never comes): past this, the
        // remaining connections are cancelled, so that a stop always ends.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGrace
        let serviceGroup = ServiceGroup(configuration: groupConfiguration)
        let runTask = Task {
            defer { startedContinuation.finish() }
            try await serviceGroup.run()
        }
        var iterator = started.makeAsyncIterator()
        guard let port = await iterator.next() else {
            await broker.shutdown()
            await database.close()
            let address = "\(configuration.host):\(configuration.port)"
            do {
                try await runTask.value
                throw ServerError.bindFailed(address: address, reason: "the server stopped while starting")
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                throw ServerError.bindFailed(address: address, reason: "the address is already in use; choose another --port")
            } catch let error as ServerError {
                throw error
            } catch {
                throw ServerError.bindFailed(address: address, reason: "\(error)")
            }
        }
        var backgroundTasks: [Task<Void, Never>] = []
        if let administration = database.administration {
            backgroundTasks.append(AccountWatcher(
                storage: administration, hub: hub, interval: configuration.accountCheckInterval, logger: configuration.logger
            ).start(after: database.accountChangesSeen))
            if let period = configuration.messageRetention {
                backgroundTasks.append(MessageRetention(
                    storage: administration, period: period, interval: configuration.retentionInterval, clock: configuration.clock,
                    expired: metrics.messagesExpired, logger: configuration.logger).start())
            }
        }
        configuration.logger.info("connection limits", metadata: [
            "max_connections": "\(limits.maxConnections)", "request_head_timeout": "\(limits.requestHeadTimeout)",
            "keep_alive_timeout": "\(limits.keepAliveTimeout)"])
        return ChatServer(
            port: port, host: configuration.host, isSecure: tls != nil, service: service, serviceGroup: serviceGroup,
            runTask: runTask, backgroundTasks: backgroundTasks, databaseLock: database.lock)
    }

    /// Closes every WebSocket with 1001, stops serving and closes the database.
    public func shutdown() async {
        guard stopping.withLock({ let was = $0; $0 = true; return !was }) else {
            try? await waitUntilStopped()
            return
        }
        await service.hub.closeAll(.goingAway, reason: "server shutting down")
        let deadline = ContinuousClock.now + .seconds(3)
        while await service.hub.connectionCount > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await runTask.value
        for task in backgroundTasks {
            task.cancel()
            await task.value
        }
        await service.broker.shutdown()
        await service.storage.close()
        databaseLock?.release()
    }

    /// The broker of this server's live events (tests stop a cluster broker without cleanup).
    var broker: any Broker { service.broker }

    /// Returns when the server has stopped; throws what stopped it, if it failed.
    public func waitUntilStopped() async throws {
        try await runTask.value
    }

    /// Local mode: the user named `username`, created if missing (with a password hash no
    /// password matches), and a fresh token for them.
    public func provisionLocalAccount(username: String) async throws -> TokenResponse {
        if let problem = Validation.username(username) { throw APIErrorBody(detail: problem, code: .validationError) }
        if let existing = try await service.storage.credentials(for: username) {
            return try await service.mintToken(for: existing.user)
        }
        let user = try await service.storage.createUser(
            username: username, email: "\(username.lowercased())@localhost.invalid", passwordHash: PasswordHasher.unusable)
        await service.welcome(user)
        return try await service.mintToken(for: user)
    }

    /// Local mode: the channel named `name`, created (public, owned by `userId`) if
    /// missing; `userId` is made a member either way.
    public func ensureChannel(named name: String, ownedBy userId: String) async throws -> PythiaProtocol.Channel {
        if let problem = Validation.channelName(name) { throw APIErrorBody(detail: problem, code: .validationError) }
        if let channel = try await service.storage.channel(named: name, viewerId: userId) {
            try await service.addMember(userId, to: channel.id)
            return try await service.storage.channel(id: channel.id, viewerId: userId) ?? channel
        }
        let channel = try await service.storage.createChannel(name: name, description: "", isPrivate: false, ownerId: userId)
        await service.broker.changeMembership(userId: userId, channelId: channel.id, joined: true)
        return channel
    }
}
