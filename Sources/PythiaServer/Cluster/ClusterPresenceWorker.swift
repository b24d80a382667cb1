import Logging

/// Writes this process's presence, one job at a time in the order the hub reported it, and
/// on each heartbeat keeps the cluster's presence true: this process's row (registered again
/// when the heartbeat found it gone), its users' rows
/// (written again after a failure or after a survivor took it for dead), the dead processes'
/// users (offline), and the event log's age.
struct ClusterPresenceWorker: Sendable {
    /// What the worker does next.
    enum Job: Sendable {
        case report(HubReport)
        /// A beat of the heartbeat: whether this process's row was there to refresh (gone when
        /// a survivor took it for dead).
        case heartbeat(refreshed: Result<Bool, any Error>)
    }

    let presence: ClusterPresence
    let hub: Hub
    let configuration: ClusterConfiguration
    let channelIds: @Sendable (String) async throws -> [String]
    let logger: Logger

    /// Does `jobs` until they end.
    func run(_ jobs: AsyncStream<Job>) async {
        // Whether the rows may differ from the hub's users (a write failed): the next
        // heartbeat writes them again.
        var stale = false
        for await job in jobs {
            do {
                switch job {
                case .report(.arrived(let userId, let channelIds)):
                    try await presence.arrive(userId, channelIds: channelIds)
                case .report(.departed(let userId, let channelIds)):
                    try await presence.depart(userId, channelIds: channelIds)
                case .report(.typing(let userId, let channelId, let isTyping)):
                    let (frame, audience) = HubReport.typing(userId: userId, channelId: channelId, isTyping: isTyping).broadcast
                    try await ClusterEventLog.notifyEphemeral(ClusterEvent(frame: frame, audience: audience), on: presence.database, logger: logger)
                case .heartbeat(let refreshed):
                    try await heartbeat(refreshed: refreshed, stale: &stale)
                }
            } catch {
                // Cancelled by a stop that gave up on the database: the survivors expire the rest.
                if Task.isCancelled { return }
                if case .report(.typing) = job {} else { stale = true }
                logger.warning("cluster presence write failed; retrying at the next heartbeat", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    private func heartbeat(refreshed: Result<Bool, any Error>, stale: inout Bool) async throws {
        if try !refreshed.get() {
            logger.warning("this process was taken for dead by the cluster; registering again")
            _ = try await presence.registerProcess()
            stale = true
        }
        if stale {
            try await writeRowsAgain()
            stale = false
        }
        for process in try await presence.deadProcesses(expiry: configuration.processExpiry) {
            for userId in try await presence.users(on: process) {
                try await presence.depart(userId, channelIds: Set(try await channelIds(userId)), from: process)
            }
            try await presence.removeProcess(process)
            logger.warning("a server process stopped heart-beating; its users' presence expired", metadata: ["process": "\(process)"])
        }
        try await ClusterEventLog.prune(olderThan: configuration.eventRetention, on: presence.database, logger: logger)
    }

    /// Makes this process's rows the hub's users, broadcasting the transitions.
    private func writeRowsAgain() async throws {
        let rows = try await presence.registeredUsers()
        let here = await hub.presentUsers
        for (userId, channelIds) in here where !rows.contains(userId) {
            try await presence.arrive(userId, channelIds: channelIds)
        }
        let hereIds = Set(here.map(\.userId))
        for userId in rows where !hereIds.contains(userId) {
            try await presence.depart(userId, channelIds: Set(try await channelIds(userId)))
        }
    }
}
