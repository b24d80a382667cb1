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
        if typing.composing(false, in: channelId, at: configuration.now()) != nil {
            try? await connection.send(.typingIndicator(channelId: channelId, isTyping: false))
        }
        return clientId
    }

    /// Sends a refused message again (same `client_id`), after those still pending.
    public func retry(clientId: String) {
        apply(.outboxRetried(clientId: clientId))
    }

    /// Throws away a refused message.
    public func discard(clientId: String) {
        apply(.outboxDiscarded(clientId: clientId))
    }

    /// Queues again what the outbox file held when the session started, once the channel
    /// list is known.
    func restoreOutbox() {
        var dropped = false
        // One at a time: every save in between keeps the items not yet queued.
        while !restoredOutbox.isEmpty {
            let item = restoredOutbox.removeFirst()
            guard store.state[channelId: item.channelId] != nil else {
                apply(.notice(.error, "dropped an unsent message to a channel you are no longer in: \(item.content.prefix(40))", at: configuration.now()))
                dropped = true
                continue
            }
            apply(.outboxQueued(clientId: item.clientId, channelId: item.channelId, content: item.content, at: configuration.now()))
        }
        if dropped { persistOutbox() }
    }

    /// Saves the pending messages (and those not restored yet) to the outbox file.
    func persistOutbox() {
        guard let url = configuration.outboxFile else { return }
        let pending = store.state.channels.flatMap { channel in
            channel.outbox.filter { $0.delivery == .pending }.map {
                OutboxItem(clientId: $0.id, channelId: channel.id, content: $0.message.content)
            }
        }
        do {
            try OutboxFile(url: url).save(pending + restoredOutbox)
        } catch {
            apply(.notice(.error, "cannot save the outbox to \(url.path): \(error)", at: configuration.now()))
        }
    }

    /// Performs a ``ChatEffect/post(clientId:channelId:content:)``: one POST, its outcome
    /// told to the store.
    func post(clientId: String, channelId: String, content: String) {
        let tokens = tokens
        outboxTasks[clientId] = Task {
            let action: ChatAction
            let client = await tokens.client
            do throws(APIError) {
                let message = try await client.postMessage(channelId: channelId, content: content, clientId: clientId)
                action = .outboxDelivered(clientId: clientId, message: message)
            } catch where error.isTransient || error.kind == .unauthorized {
                // Unauthorized too: the connection refreshes the token or asks for a login,
                // and the message waits for that rather than being dropped.
                logger.debug("post \(clientId) failed (\(error)); trying again later")
                await noteFailure(error, of: client)
                action = .outboxPostFailed(clientId: clientId, retryAfter: error.retryAfter)
            } catch {
                action = .outboxFailed(clientId: clientId, reason: error.detail)
            }
            guard !Task.isCancelled else { return }
            outboxTasks[clientId] = nil
            apply(action)
        }
    }

    /// Performs a ``ChatEffect/retry(clientId:after:)`` on the configured clock.
    func scheduleRetry(clientId: String, after delay: Duration) {
        let clock = configuration.clock
        outboxTasks[clientId] = Task {
            do { try await clock.sleep(for: delay) } catch { return }
            outboxTasks[clientId] = nil
            apply(.outboxRetryDue(clientId: clientId))
        }
    }
}
