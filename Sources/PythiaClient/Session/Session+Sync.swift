import Foundation
import PythiaProtocol

extension Session {
    /// Refreshes the channel list and fills every channel's gap; one run at a time, and
    /// a request during a run makes it go round once more.
    func requestSync() {
        guard syncTask == nil else {
            needsResync = true
            return
        }
        syncTask = Task {
            var delay: Duration = .milliseconds(250)
            var synced = false
            repeat {
                needsResync = false
                let client = await tokens.client
                do throws(APIError) {
                    try await synchronize()
                    synced = true
                } catch {
                    apply(.notice(.error, "could not load the channels: \(error)", at: configuration.now()))
                    await noteFailure(error, of: client)
                    // Try again while connected; a lost connection restarts the sync on its own.
                    guard store.state.connection.isConnected, !Task.isCancelled else { break }
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(8))
                    needsResync = true
                }
            } while needsResync && !Task.isCancelled
            syncTask = nil
            if synced { restoreOutbox() }
        }
    }

    /// Tells the connection when a REST call's failure says its server cannot serve (503),
    /// so that with several servers the engine moves on to the next.
    func noteFailure(_ error: APIError, of client: APIClient) async {
        if error.status == 503 { await connection.serverUnavailable(client.endpoint) }
    }

    /// Channel list, then for each channel the newest page (first time) or every page after
    /// the last message we have (after a reconnect).
    private func synchronize() async throws(APIError) {
        let client = await tokens.client
        apply(.channelsLoaded(try await client.channels()))
        if let selected = store.state.selectedChannelId {
            apply(.select(channelId: selected))
        } else if let first = store.state.channels.first {
            apply(.select(channelId: first.id))
        }
        for channel in store.state.channels {
            try await catchUp(channel.id)
        }
    }

    /// Every ``Configuration/channelListInterval``, a full sync when the channel list
    /// changed (we were invited somewhere, or removed); only the list otherwise.
    func checkChannelListPeriodically() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.channelListInterval) } catch { return }
            guard store.state.connection.isConnected, syncTask == nil,
                  let channels = try? await tokens.client.channels()
            else { continue }
            if Set(channels.map(\.id)) == Set(store.state.channels.map(\.id)) {
                apply(.channelsLoaded(channels))
            } else {
                requestSync()
            }
        }
    }

    /// Loads what is missing after the channel's resume point, then lets the live stream
    /// move it again.
    func catchUp(_ channelId: String) async throws(APIError) {
        try await fillGap(channelId)
        // The channel shown is read; one never read before starts counting from now.
        if channelId == store.state.selectedChannelId || store.state.lastRead[channelId] == nil {
            apply(.markRead(channelId: channelId))
        }
    }

    private func fillGap(_ channelId: String) async throws(APIError) {
        let client = await tokens.client
        guard let channel = store.state[channelId: channelId] else { return }
        // The resume point may have been deleted meanwhile: fall back to older messages.
        var anchors = channel.resumeAnchors
        // First load with a last-read message from an earlier run: what came after it is
        // fetched with `after=` and counted as unread, then the newest page for the rest.
        let lastRead = anchors.isEmpty ? store.state.lastRead[channelId] : nil
        if let lastRead { anchors = [lastRead] }
        while let anchor = anchors.first {
            do {
                try await pageForward(channelId, after: anchor, client: client)
                if lastRead != nil { try await loadLatest(channelId, client: client) }
                apply(.caughtUp(channelId: channelId))
                return
            } catch where error.kind == .notFound || error.kind == .validation {
                anchors.removeFirst()
            }
        }
        try await loadLatest(channelId, client: client)
        apply(.caughtUp(channelId: channelId))
    }

    private func loadLatest(_ channelId: String, client: APIClient) async throws(APIError) {
        let limit = configuration.historyPageSize
        let page = try await client.messages(channelId: channelId, limit: limit)
        apply(.historyLoaded(channelId: channelId, messages: page, page: .latest(limit: limit)))
    }

    private func pageForward(_ channelId: String, after anchor: String, client: APIClient) async throws(APIError) {
        var after = anchor
        while true {
            let limit = configuration.catchUpPageSize
            let page = try await client.messages(channelId: channelId, after: after, limit: limit)
            apply(.historyLoaded(channelId: channelId, messages: page, page: .newer))
            guard page.count >= limit, let last = page.last else { return }
            after = last.id
        }
    }
}
