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
            startDrainer(for: channel.id)
        }
    }

    /// Throws away a refused message.
    public func discard(clientId: String) {
        apply(.outboxDiscarded(clientId: clientId))
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
                apply(.outboxFailed(clientId: item.clientId, reason: error.detail))
            }
        }
        drainers[channelId] = nil
        if !Task.isCancelled, outbox[channelId]?.isEmpty == false { startDrainer(for: channelId) }
    }
}
