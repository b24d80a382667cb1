import Logging
import NIOWebSocket
import PostgresNIO

/// Applies the cluster's events to this process's hub, in id order, from one listening
/// connection that it opens again whenever it is lost.
struct ClusterListener: Sendable {
    /// The listener's own pool (see ``PostgresBroker/start``).
    let database: PostgresClient
    let hub: Hub
    /// Where the listener is in the log across its connections; told each id applied, for
    /// publishers that wait for their own event.
    let progress: ClusterProgress
    let configuration: ClusterConfiguration
    let logger: Logger

    /// Events read back per query while replaying.
    private static let replayBatch = 500

    /// Listens until cancelled; yields to `ready` each time the connection listens.
    func run(ready: AsyncStream<Void>.Continuation) async {
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled {
            let catchUps = progress.catchUps
            do {
                try await database.withConnection { connection in
                    // Whichever ends first, the listening or the probes: postgres-nio (1.33.2)
                    // loses a statement written to a connection that has just closed, which
                    // then never returns; such a listening is cancelled and left behind.
                    let ended: Result<Void, any Error>
                    do {
                        try await FirstOutcome<Void>.of({
                            try await listen(on: connection, ready: ready)
                        }, unless: {
                            try await silence(of: connection)
                        })
                        ended = .success(())
                    } catch {
                        ended = .failure(error)
                    }
                    // Closed before it goes back to the pool: a connection that the server is
                    // terminating, leased again, never answers.
                    try? await connection.close()
                    try ended.get()
                }
            } catch where !Task.isCancelled {
                logger.warning("lost the cluster's event connection; reconnecting", metadata: [
                    "error": "\(String(reflecting: error))", "retry_in": "\(backoff)"])
            } catch {}
            if progress.catchUps != catchUps { backoff = .milliseconds(100) }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(5))
        }
    }

    /// Listens on `connection`: what committed before is read from the table, what commits
    /// from now on is notified.
    private func listen(on connection: PostgresConnection, ready: AsyncStream<Void>.Continuation) async throws {
        try await connection.listen(on: ClusterEventLog.channel) { notifications in
            var last = try await catchUp(on: connection)
            progress.caughtUp(through: last)
            ready.yield()
            for try await notification in notifications {
                // A listening left behind applies nothing more.
                try Task.checkCancellation()
                last = try await apply(notification, after: last, on: connection)
            }
        }
    }

    /// Applies the events stored after the last one applied, recording each one (the
    /// connection may drop half-way); returns the last id applied. The first connection of a
    /// process applies none: it starts from the last id stored.
    private func catchUp(on connection: PostgresConnection) async throws -> Int64 {
        guard var last = progress.lastApplied else {
            return try await ClusterEventLog.lastId(on: connection, logger: logger)
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
                try Task.checkCancellation()
                await apply(json)
                last = id
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

    /// Probes the listening connection every heartbeat; returns the error of the first probe
    /// that fails or is not answered within the process expiry (a silent network), which ends
    /// the listening. Throws only when cancelled.
    private func silence(of connection: PostgresConnection) async throws -> any Error {
        let (logger, limit) = (self.logger, configuration.processExpiry)
        while true {
            try await Task.sleep(for: configuration.heartbeatInterval)
            do {
                try await FirstOutcome<Void>.of({ try await connection.query("SELECT 1", logger: logger) }, within: limit) {
                    StorageError.unavailable("the cluster's event connection did not answer a probe within \(limit)")
                }
            } catch {
                try Task.checkCancellation()
                return error
            }
        }
    }
}
