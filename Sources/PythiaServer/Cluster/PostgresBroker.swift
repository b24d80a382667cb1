import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The broker of several server processes on one PostgreSQL database: every effect goes
/// through the event log (``ClusterEventLog``) and reaches every process's hub, this one's
/// included, in the log's order; presence is kept in the database (``ClusterPresence``).
///
/// Each process listens on one connection and remembers the last event id it applied. When
/// that connection drops it is opened again (with backoff); once it listens, the events
/// stored after the last applied id are read from the table and applied, then the
/// notifications, of which those already applied are dropped: no gap, nothing twice.
final class PostgresBroker: Broker {
    private let database: PostgresClient
    private let hub: Hub
    private let presence: ClusterPresence
    private let progress = ClusterProgress()
    /// How long a membership change or a close waits for this process to apply it.
    private let applyWait: Duration
    /// How long the broker waits for its database: a presence query, a publish, the stop's
    /// presence clean-up (past it, survivors expire what is left).
    private let databaseLimit: Duration
    /// The channels of a user whose `user_status` a survivor broadcasts for a dead process.
    private let channelIds: @Sendable (String) async throws -> [String]
    private let logger: Logger
    /// Presence writes and heartbeats, done one at a time in the order the hub reported them.
    private let jobs: AsyncStream<ClusterPresenceWorker.Job>.Continuation
    private let tasks: Tasks

    private struct Tasks {
        let run: Task<Void, Never>
        let listener: Task<Void, Never>
        let worker: Task<Void, Never>
        let heartbeat: Task<Void, Never>
    }

    /// Connects, creates the tables if missing, registers this process and listens;
    /// returns once events published from now on reach `hub`. The heartbeat waits on
    /// `clock`; how long a process has been silent is the database's time.
    /// - Throws: ``ServerError`` when the database cannot be reached or set up.
    static func start(
        _ configuration: ClusterConfiguration, hub: Hub, clock: any Clock<Duration>,
        channelIds: @escaping @Sendable (String) async throws -> [String], logger: Logger
    ) async throws -> PostgresBroker {
        let database = PostgresClient(configuration: configuration.database, backgroundLogger: logger)
        // The listening connection comes from a pool of its own. Shared, a listening connection
        // the server terminated went back to the pool, and a publisher waiting there was handed
        // it: its BEGIN then never answered (postgres-nio 1.33.2), and its event was lost. Two
        // connections: the next one is opened while the pool may still count the one closed.
        var listeningConfiguration = configuration.database
        listeningConfiguration.options.maximumConnections = 2
        listeningConfiguration.options.keepAliveBehavior = nil
        let listeningPool = PostgresClient(configuration: listeningConfiguration, backgroundLogger: logger)
        // Immediate, as the storage's pool: both have begun to run before the migration below.
        let run = Task.immediate {
            await withDiscardingTaskGroup { group in
                group.addImmediateTask { await database.run() }
                group.addImmediateTask { await listeningPool.run() }
            }
        }
        let presence = ClusterPresence(database: database, processId: UUID().uuidString, logger: logger)
        // The pool retries a refused connection for a minute before it fails a request: the
        // start waits for the connect timeout only.
        let timeout = configuration.database.options.connectTimeout
        let place = "postgres://\(configuration.database.host ?? configuration.database.unixSocketPath ?? "?")/\(configuration.database.database ?? "")"
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await ClusterSchema.migrate(database, logger: logger)
                    _ = try await presence.registerProcess()
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw ClusterStartTimeout(timeout: timeout)
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            run.cancel()
            let reason = error is ClusterStartTimeout ? "\(error)" : String(reflecting: error)
            throw ServerError.databaseUnavailable(path: place, reason: reason)
        }
        let (jobStream, jobs) = AsyncStream.makeStream(of: ClusterPresenceWorker.Job.self)
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        let broker = PostgresBroker(
            database: database, listening: listeningPool, hub: hub, presence: presence, configuration: configuration, clock: clock,
            channelIds: channelIds, logger: logger, jobs: jobs, run: run, jobStream: jobStream, ready: readyContinuation)
        let listening = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in ready { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let listening = await group.next() ?? false
            group.cancelAll()
            return listening
        }
        guard listening else {
            await broker.halt()
            throw ServerError.databaseUnavailable(path: place, reason: "LISTEN: \(ClusterStartTimeout(timeout: timeout))")
        }
        return broker
    }

    private init(
        database: PostgresClient, listening: PostgresClient, hub: Hub, presence: ClusterPresence, configuration: ClusterConfiguration,
        clock: any Clock<Duration>, channelIds: @escaping @Sendable (String) async throws -> [String], logger: Logger,
        jobs: AsyncStream<ClusterPresenceWorker.Job>.Continuation, run: Task<Void, Never>,
        jobStream: AsyncStream<ClusterPresenceWorker.Job>,
        ready: AsyncStream<Void>.Continuation
    ) {
        self.database = database
        self.hub = hub
        self.presence = presence
        self.channelIds = channelIds
        self.logger = logger
        self.jobs = jobs
        applyWait = configuration.heartbeatInterval
        databaseLimit = configuration.processExpiry
        let listener = ClusterListener(database: listening, hub: hub, progress: progress, configuration: configuration, logger: logger)
        let worker = ClusterPresenceWorker(presence: presence, hub: hub, configuration: configuration, channelIds: channelIds, logger: logger)
        let (interval, limit) = (configuration.heartbeatInterval, configuration.processExpiry)
        tasks = Tasks(
            run: run,
            listener: Task { await listener.run(ready: ready) },
            worker: Task { await worker.run(jobStream) },
            heartbeat: Task {
                while (try? await clock.sleep(for: interval)) != nil {
                    // Refreshed here, not behind the presence writes queued for the worker: a
                    // reconnect storm queues thousands, and a live process taken for dead has
                    // every user of it announced offline, then online again.
                    do {
                        let found = try await Self.answered(within: limit) { try await presence.heartbeat() }
                        jobs.yield(.heartbeat(refreshed: .success(found)))
                    } catch {
                        jobs.yield(.heartbeat(refreshed: .failure(error)))
                    }
                }
            })
    }

    // MARK: Broker

    func publish(_ frame: ByteBuffer, to audience: Audience) async {
        await append(ClusterEvent(frame: frame, audience: audience))
    }

    /// Returns once this process's hub has applied the change (see ``ClusterProgress``).
    func changeMembership(userId: String, channelId: String, joined: Bool) async {
        await appendAndApply(.membership(userId: userId, channelId: channelId, joined: joined))
    }

    /// Returns once this process's connections are closed (see ``ClusterProgress``).
    func closeConnections(of userId: String, tokenId: String?, reason: String) async {
        await appendAndApply(.close(userId: userId, tokenId: tokenId, reason: reason))
    }

    func online(among userIds: [String]) async throws -> [String] {
        try await Self.answered(within: databaseLimit) { [presence] in try await presence.online(among: userIds) }
    }

    func isOnline(_ userId: String) async throws -> Bool {
        try await !online(among: [userId]).isEmpty
    }

    func hubReported(_ report: HubReport, by hub: isolated Hub) {
        jobs.yield(.report(report))
    }

    /// Writes what was reported, removes this process's presence (broadcasting the users
    /// still here offline), stops listening and disconnects. A database that does not answer
    /// holds the stop for ``ClusterConfiguration/processExpiry`` at most: then the
    /// connections are closed, and the survivors expire this process's presence.
    func shutdown() async {
        tasks.heartbeat.cancel()
        jobs.finish()
        let (tasks, presence, channelIds, logger) = (self.tasks, self.presence, self.channelIds, self.logger)
        let cleanUp = Task {
            await tasks.worker.value
            for userId in try await presence.registeredUsers() {
                try await presence.depart(userId, channelIds: Set(try await channelIds(userId)))
            }
            try await presence.removeProcess(presence.processId)
        }
        switch await Self.ending(of: cleanUp, within: databaseLimit) {
        case .finished:
            break
        case .failed(let error):
            logger.warning("could not remove this process's presence; survivors will expire it", metadata: ["error": "\(error)"])
        case .stillRunning:
            logger.warning("the database did not answer the presence clean-up in time; survivors will expire it", metadata: [
                "waited": "\(databaseLimit)"])
            // Cancelled, and left: what waits on a database that does not answer may not
            // notice; the connections close below, and the stop goes on.
            tasks.worker.cancel()
            cleanUp.cancel()
        }
        await hub.report(to: nil)
        tasks.listener.cancel()
        if case .stillRunning = await Self.ending(of: tasks.listener, within: databaseLimit) {
            logger.warning("the cluster's event listener did not stop in time; closing its connection")
        }
        tasks.run.cancel()
    }

    /// How a task waited for ended.
    private enum Ending {
        case finished
        case failed(any Error)
        /// Still running at the limit, and left running.
        case stillRunning
    }

    private struct StillRunning: Error {}

    /// How `task` ended, within `limit`.
    private static func ending(of task: Task<Void, some Error>, within limit: Duration) async -> Ending {
        do {
            try await FirstOutcome<Void>.of({ try await task.value }, within: limit) { StillRunning() }
            return .finished
        } catch is StillRunning {
            return .stillRunning
        } catch {
            return .failed(error)
        }
    }

    /// Stops at once, leaving its rows as a killed process would (tests of expiry).
    func halt() async {
        await hub.report(to: nil)
        jobs.finish()
        for task in [tasks.heartbeat, tasks.worker, tasks.listener, tasks.run] { task.cancel() }
    }

    /// Appends `event` to the log; its id, `nil` when it could not be written, or not yet:
    /// a publisher waits at most six process expiries (a minute by default; past them the
    /// others have long taken this process for dead), and the append itself goes on, so that
    /// a database slow to answer still gets the event, late, rather than lose it. A shorter
    /// wait lost events on a loaded machine: a post's append once took 15 s there.
    @discardableResult
    private func append(_ event: ClusterEvent) async -> Int64? {
        let (database, logger) = (self.database, self.logger)
        let appending = Task {
            try await database.transaction(logger: logger) { connection in
                try await ClusterEventLog.append(event, on: connection, logger: logger)
            }
        }
        do {
            // Awaiting a task's value does not cancel the task when the deadline wins.
            return try await Self.answered(within: databaseLimit * 6) { try await appending.value }
        } catch {
            logger.error("could not publish an event to the other server processes", metadata: ["error": "\(String(reflecting: error))"])
            return nil
        }
    }

    /// What `operation` returns, within `limit`: a database that went silent (its connections
    /// open, nothing answered) must not hold a request, a publisher or the stop behind them
    /// for ever, as a query on such a connection would.
    private static func answered<T: Sendable>(
        within limit: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await FirstOutcome.of(operation, within: limit) {
            StorageError.unavailable("no answer from the cluster's database within \(limit)")
        }
    }

    /// Appends `event` and waits for this process's listener to apply it.
    private func appendAndApply(_ event: ClusterEvent) async {
        guard let id = await append(event) else { return }
        if await !progress.waitUntilApplied(id, within: applyWait) {
            logger.warning("a published event was not applied here in time; the event connection is lagging", metadata: [
                "event_id": "\(id)", "waited": "\(applyWait)"])
        }
    }
}
