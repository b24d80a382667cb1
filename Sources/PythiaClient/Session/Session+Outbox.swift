import Foundation
import Logging
import PythiaProtocol

extension Session {
    /// Queues a message: shown pending at once, posted in order per channel, retried with
    /// the same `client_id` on transport errors, 5xx and 429 until the server has it.
    ///
    /// - Returns: the message's `client_id`.
    @discardableResult
    public func send(_ text: String, to channelId: String) async throws(SessionError) -> String {
        if let problem = Validation.messageContent(text) { throw .invalid(problem) }
        guard store.state[channelId: channelId] != nil else { throw .unknownChannel(channelId) }
        let clientId = UUID().uuidString.lowercased()
        apply(.outboxQueued(clientId: clientId, channelId: channelId, content: text, at: configuration.now()))
        outbox[channelId, default: []].append(OutboxItem(clientId: clientId, channelId: channelId, content: text))
        persistOutbox()
        startDrainer(for: channelId)
        if typing.composing(false, in: channelId, at: configuration.now()) != nil {
            try? await connection.send(.typingIndicator(channelId: channelId, isTyping: false))
        }
        return clientId
    }

    /// Sends a refused message again (same `client_id`).
    public func retry(clientId: String) {
        for channel in store.state.channels {
            guard let entry = channel.outbox.first(where: { $0.clientId == clientId }), entry.delivery != .pending else { continue }
            apply(.outboxRetried(clientId: clientId))
            outbox[channel.id, default: []].append(OutboxItem(clientId: clientId, channelId: channel.id, content: entry.message.content))
            persistOutbox()
            startDrainer(for: channel.id)
        }
    }

    /// Throws away a refused message.
    public func discard(clientId: String) {
        apply(.outboxDiscarded(clientId: clientId))
    }

    /// Queues again what the outbox file held when the session started, once the channel
    /// list is known.
    func restoreOutbox() {
        guard !restoredOutbox.isEmpty else { return }
        let queued = Set(outbox.values.joined().map(\.clientId))
        for item in restoredOutbox where !queued.contains(item.clientId) {
            guard store.state[channelId: item.channelId] != nil else {
                apply(.notice(.error, "dropped an unsent message to a channel you are no longer in: \(item.content.prefix(40))", at: configuration.now()))
                continue
            }
            apply(.outboxQueued(clientId: item.clientId, channelId: item.channelId, content: item.content, at: configuration.now()))
            outbox[item.channelId, default: []].append(item)
        }
        restoredOutbox = []
        persistOutbox()
    }

    private func persistOutbox() {
        guard let url = configuration.outboxFile else { return }
        do {
            try OutboxFile(url: url).save(outbox.values.flatMap { $0 } + restoredOutbox)
        } catch {
            apply(.notice(.error, "cannot save the outbox to \(url.path): \(error)", at: configuration.now()))
        }
    }

    func startDrainers() {
        for channelId in outbox.keys { startDrainer(for: channelId) }
    }

    private func startDrainer(for channelId: String) {
        guard drainers[channelId] == nil, outbox[channelId]?.isEmpty == false else { return }
        drainers[channelId] = Task { await drain(channelId) }
    }

    /// Posts the channel's queue in order, one message at a time.
    private func drain(_ channelId: String) async {
        var failures = 0
        while !Task.isCancelled, let item = outbox[channelId]?.first {
            do {
                let message = try await tokens.client.postMessage(channelId: channelId, content: item.content, clientId: item.clientId)
                outbox[channelId]?.removeFirst()
                persistOutbox()
                failures = 0
                apply(.outboxDelivered(clientId: item.clientId, message: message))
            } catch where error.isTransient || error.kind == .unauthorized {
                // Unauthorized too: the connection refreshes the token or asks for a login,
                // and the message waits for that rather than being dropped.
                failures += 1
                let backoff = min(configuration.outboxMaxRetryDelay, .milliseconds(250) * (1 << min(failures, 10)))
                logger.debug("post \(item.clientId) failed (\(error)); retrying in \(error.retryAfter ?? backoff)")
                do { try await Task.sleep(for: error.retryAfter ?? backoff) } catch { break }
            } catch {
                outbox[channelId]?.removeFirst()
                persistOutbox()
                apply(.outboxFailed(clientId: item.clientId, reason: error.detail))
            }
        }
        drainers[channelId] = nil
        if !Task.isCancelled, outbox[channelId]?.isEmpty == false { startDrainer(for: channelId) }
    }
}
