public import Foundation
public import Logging
import PythiaProtocol

/// The client engine: one user's live view of a Pythia server.
///
/// Ties a ``RealtimeConnection`` (events in), an ``APIClient`` (history and intents out) and a
/// ``ChatStore`` (the state) together. After every (re)connect it refreshes the channel
/// list and pages forward from the last message of each channel, so no gap is left.
/// Sent messages go through the store's outbox, whose posts and retries (same `client_id`,
/// until the server has them) this actor performs. The UI reads ``updates`` and calls the intents.
public actor Session {
    /// Tunables; the defaults are the contract's.
    public struct Configuration: Sendable {
        /// The WebSocket's timings and backoff.
        public var connection = RealtimeConnection.Configuration()
        /// How often the channel list is checked while connected: an invitation to a
        /// channel sends the invitee no event.
        public var channelListInterval: Duration = .seconds(60)
        /// How many messages the first page of each channel holds.
        public var historyPageSize = Limits.defaultHistoryLimit
        /// How many messages each page of a gap fill holds.
        public var catchUpPageSize = Limits.maxHistoryLimit
        /// The longest wait between two tries of an outbox message.
        public var outboxMaxRetryDelay: Duration = .seconds(4)
        /// The clock the outbox's waits, the online-users timeout and the token refresh run
        /// on (tests advance their own).
        public var clock: any Clock<Duration> = ContinuousClock()
        /// How long ``Session/onlineUsers(in:)`` waits for the server's answer.
        public var onlineUsersTimeout: Duration = .seconds(10)
        /// The local clock (tests move it).
        public var now: @Sendable () -> Date = { Date() }
        /// Where the outbox is kept across restarts (one file per server and account);
        /// `nil` keeps it in memory only.
        public var outboxFile: URL?
        /// Where the last-read message of each channel is kept across restarts (one file
        /// per server and account); `nil` keeps it in memory only.
        public var readPositionsFile: URL?
        /// Called with every refreshed token, e.g. to save it.
        public var onTokenRefreshed: @Sendable (String) -> Void = { _ in }

        /// The contract's defaults.
        public init() {}
    }

    /// The latest state after every change; a slow reader only misses intermediate states.
    public nonisolated let updates: AsyncStream<ChatState>
    let updatesContinuation: AsyncStream<ChatState>.Continuation
    let configuration: Configuration
    let logger: Logger
    let tokens: TokenKeeper
    let connection: RealtimeConnection
    var store: ChatStore
    var tasks: [Task<Void, Never>] = []
    var isStarted = false
    var syncTask: Task<Void, Never>?
    var needsResync = false
    /// Items from the outbox file, queued again once the channel list is known.
    var restoredOutbox: [OutboxItem] = []
    /// The outbox's POSTs and retry waits under way, by `client_id`.
    var outboxTasks: [String: Task<Void, Never>] = [:]
    var typing = TypingThrottle()
    var loadingUsers: Set<String> = []
    /// Online-users questions awaiting their answer, by channel, then by request.
    var onlineWaiters: [String: [Int: OnlineUsersRequest]] = [:]
    var nextOnlineRequest = 0

    /// Creates a session for `token` on `servers`; nothing happens until ``start()``.
    ///
    /// With several servers (processes of one deployment, sharing history and the JWT
    /// secret) the connection moves to the next when one is down, as ``FailoverPolicy``
    /// says; every REST call goes to the server the connection is using, and
    /// ``ChatState/serverInUse`` names it.
    public init(
        servers: ServerList, token: String, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "pythia.client.session")
    ) {
        self.configuration = configuration
        self.logger = logger
        store = ChatStore(outboxMaxRetryDelay: configuration.outboxMaxRetryDelay)
        tokens = TokenKeeper(
            api: APIClient(endpoint: servers.first, token: token), token: token,
            now: configuration.now, clock: configuration.clock, onRefresh: configuration.onTokenRefreshed, logger: logger)
        connection = RealtimeConnection(
            servers: servers, credentials: tokens.credentials, configuration: configuration.connection, logger: logger)
        (updates, updatesContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Creates a session for `token` at `endpoint`; nothing happens until ``start()``.
    public init(
        endpoint: ServerEndpoint, token: String, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "pythia.client.session")
    ) {
        self.init(servers: ServerList(endpoint), token: token, configuration: configuration, logger: logger)
    }

    /// The current state.
    public var state: ChatState { store.state }

    /// Connects and keeps the state up to date until ``stop()``.
    public func start() {
        guard !isStarted else { return }
        isStarted = true
        restoredOutbox = configuration.outboxFile.map { OutboxFile(url: $0).load() } ?? []
        if let url = configuration.readPositionsFile { apply(.readPositionsRestored(ReadPositionsFile(url: url).load())) }
        publish()
        let connection = connection
        tasks.append(Task { await connection.run() })
        tasks.append(Task { [weak self] in
            for await event in connection.events {
                await self?.handle(event)
            }
        })
        let tokens = tokens
        tasks.append(Task { await tokens.keepFresh() })
        tasks.append(Task { [weak self] in await self?.expireTypingEverySecond() })
        tasks.append(Task { [weak self] in await self?.checkChannelListPeriodically() })
    }

    /// Closes the connection and stops every task. Messages still in the outbox stay in
    /// ``Configuration/outboxFile`` (when set) for the next session.
    public func stop() async {
        if let shown = store.state.selectedChannelId { apply(.markRead(channelId: shown)) }
        for task in tasks + Array(outboxTasks.values) + [syncTask].compactMap({ $0 }) { task.cancel() }
        for task in tasks { await task.value }
        tasks = []
        outboxTasks = [:]
        syncTask = nil
        for channelId in onlineWaiters.keys { resolveOnlineWaiters(channelId, with: .failure(.notConnected)) }
        apply(.connectionChanged(.disconnected))
        updatesContinuation.finish()
    }

    /// Applies `action`, publishes the new state and performs the effects it asks for.
    func apply(_ action: ChatAction) {
        let effects = store.apply(action)
        publish()
        for effect in effects { perform(effect) }
    }

    func publish() { updatesContinuation.yield(store.state) }

    private func handle(_ event: RealtimeConnection.Event) {
        switch event {
        case .state(let state):
            apply(.connectionChanged(state))
            if state == .connected { requestSync() }
        case .frame(_, let event?):
            apply(.event(event, at: configuration.now()))
            if case .onlineUsers(let online) = event {
                resolveOnlineWaiters(online.channelId, with: .success(online.users))
            }
        case .frame(_, nil):
            break
        case .server(let server):
            apply(.serverChanged(server))
        }
    }

    private func perform(_ effect: ChatEffect) {
        switch effect {
        case .refreshChannels:
            requestSync()
        case .loadMembers(let channelId):
            Task { await loadMembers(of: channelId) }
        case .loadUser(let userId):
            guard loadingUsers.insert(userId).inserted else { return }
            Task {
                if let user = try? await tokens.client.user(id: userId) { apply(.userLoaded(user)) }
                loadingUsers.remove(userId)
            }
        case .post(let clientId, let channelId, let content):
            post(clientId: clientId, channelId: channelId, content: content)
        case .retry(let clientId, let delay):
            scheduleRetry(clientId: clientId, after: delay)
        case .saveOutbox:
            persistOutbox()
        case .saveReadPositions:
            persistReadPositions()
        }
    }

    func loadMembers(of channelId: String) async {
        do {
            apply(.membersLoaded(channelId: channelId, members: try await tokens.client.members(channelId: channelId)))
        } catch {
            logger.debug("members of \(channelId) unavailable: \(error)")
        }
    }

    private func expireTypingEverySecond() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
            if store.state.channels.contains(where: { !$0.typing.isEmpty }) { apply(.tick(configuration.now())) }
        }
    }
}
