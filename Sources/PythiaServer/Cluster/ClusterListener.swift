import Logging
import NIOWebSocket
import PostgresNIO

/// Applies the cluster's events to this process's hub, in id order, from one listening
/// connection that it opens again whenever it is lost.
struct ClusterListener: Sendable {
    let database: PostgresClient
    let hub: Hub
    /// Told each id applied, for publishers that wait for their own event.
    let progress: ClusterProgress
    let configuration: ClusterConfiguration
    let logger: Logger

    /// Events read back per query while replaying.
    private static let replayBatch = 500

    /// Listens until cancelled; yields to `ready` each time the connection listens.
    func run(ready: AsyncStream<Void>.Continuation) async {
        // The last event id applied; `nil` until the first connection: a process that starts
        // has no connection that earlier events were for.
        var lastApplied: Int64?
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                try await database.withConnection { connection in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        // Probed from the start: a connection that goes silent before it
                        // listens or during the catch-up is closed too, which fails the
                        // statement waiting on it.
                        group.addTask { try await watch(connection) }
                        try await connection.listen(on: ClusterEventLog.channel) { notifications in
                            // Listening from here: what commits from now on is notified, what
                            // committed before is in the table.
                            var last = try await catchUp(&lastApplied, on: connection)
                            ready.yield()
                            backoff = .milliseconds(100)
                            for try await notification in notifications {
                                last = try await apply(notification, after: last, on: connection)
                                lastApplied = last
                            }
                        }
                        group.cancelAll()
                    }
                }
            } catch where !Task.isCancelled {
                logger.warning("lost the cluster's event connection; reconnecting", metadata: [
                    "error": "\(String(reflecting: error))", "retry_in": "\(backoff)"])
            } catch {}
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }

    /// Applies the events stored after `lastApplied`, which follows each one (the connection
    /// may drop half-way); returns the last id applied.
    private func catchUp(_ lastApplied: inout Int64?, on connection: PostgresConnection) async throws -> Int64 {
        guard var last = lastApplied else {
            let last = try await ClusterEventLog.lastId(on: connection, logger: logger)
            lastApplied = last
            progress.applied(through: last)
            return last
        }
        if try await ClusterEventLog.prunedThrough(on: connection, logger: logger) > last {
            // Away longer than the log is kept: what was missed cannot be delivered, so the
            // clients are sent away to reconnect, and fill their gaps from history.
            logger.error("missed cluster events older than the retention; closing this process's WebSockets")
            await hub.closeLive(.goingAway, reason: "missed events; reconnect")
        }
        while true {
            let events = try await ClusterEventLog.events(after: last, limit: Self.replayBatch, on: connection, logger: logger)
            for (id, json) in events {
                await apply(json)
                last = id
                lastApplied = id
                progress.applied(through: id)
            }
            if events.count < Self.replayBatch { return last }
        }
    }

    /// Applies one notification unless its event was applied already; returns the last id applied.
    private func apply(_ notification: PostgresNotification, after last: Int64, on connection: PostgresConnection) async throws -> Int64 {
        switch ClusterNotification(payload: notification.payload) {
        case .event(let id, let json):
            guard id > last else { return last }
            // Too large to go inline: read back (absent only once pruned).
            let stored = if let json { json } else { try await ClusterEventLog.event(id: id, on: connection, logger: logger) }
            if let stored { await apply(stored) }
            progress.applied(through: id)
            return id
        case .ephemeral(let json):
            await apply(json)
            return last
        case nil:
            logger.warning("unknown cluster notification (a newer pythia-chat?)", metadata: ["payload": "\(notification.payload.prefix(80))"])
            return last
        }
    }

    private func apply(_ json: String) async {
        do {
            try await ClusterEvent(json: json).apply(to: hub)
        } catch {
            logger.warning("unreadable cluster event (a newer pythia-chat?)", metadata: ["event": "\(json.prefix(200))"])
        }
    }

    /// Probes the listening connection every heartbeat; one that does not answer within the
    /// process expiry (a silent network) is closed, which ends the listening and reconnects.
    private func watch(_ connection: PostgresConnection) async throws {
        let logger = self.logger
        while true {
            try await Task.sleep(for: configuration.heartbeatInterval)
            let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await connection.query("SELECT 1", logger: logger)
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: configuration.processExpiry)
                    return false
                }
                let answered = try await group.next() ?? false
                if !answered { try? await connection.close() }
                group.cancelAll()
                return answered
            }
            if !answered {
                logger.warning("the cluster's event connection did not answer a probe in time; reconnecting", metadata: [
                    "timeout": "\(configuration.processExpiry)"])
                return
            }
        }
    }
}
