import Foundation
import PythiaProtocol

/// The outbox: each channel's unsent messages, posted one at a time in order, each with its
/// `client_id` until the server has it. The store decides what to post and when to try
/// again; ``Session`` performs the ``ChatEffect/post(clientId:channelId:content:)`` and
/// ``ChatEffect/retry(clientId:after:)`` effects and reports back.
extension ChatStore {
    /// The first wait after a failed post; it doubles per failure up to ``outboxMaxRetryDelay``.
    static let outboxFirstRetryDelay: Duration = .milliseconds(500)

    mutating func queue(clientId: String, channelId: String, content: String, at: Date) -> [ChatEffect] {
        guard let index = state.channelIndex(of: channelId),
              !state.channels[index].outbox.contains(where: { $0.id == clientId })
        else { return [] }
        let me = state.me ?? User(id: "", username: "me", email: "")
        let message = Message(
            id: clientId, content: content, channelId: channelId, userId: me.id,
            createdAt: at, updatedAt: at, user: me, clientId: clientId)
        state.channels[index].outbox.append(ChatMessage(message: message, delivery: .pending, clientId: clientId))
        return postNext(inChannelAt: index) + [.saveOutbox]
    }

    mutating func deliver(clientId: String, message: Message) -> [ChatEffect] {
        guard let index = state.channelIndex(of: message.channelId) else { return [] }
        if message.clientId != nil { state.serverSendsClientIds = true }
        let wasQueued = removeOutboxEntry(clientId, inChannelAt: index)
        if state.channels[index].posting?.clientId == clientId { state.channels[index].posting = nil }
        insert(message, placement: .newest, replacing: false)
        return postNext(inChannelAt: index) + (wasQueued ? [.saveOutbox] : [])
    }

    mutating func postFailed(clientId: String, retryAfter: Duration?) -> [ChatEffect] {
        guard let index = channelIndex(posting: clientId), var posting = state.channels[index].posting, !posting.isWaiting
        else { return [] }
        guard state.channels[index].outbox.contains(where: { $0.id == clientId }) else {
            // Its echo arrived meanwhile: the server has it, nothing to try again.
            state.channels[index].posting = nil
            return postNext(inChannelAt: index)
        }
        posting.failures += 1
        posting.isWaiting = true
        state.channels[index].posting = posting
        return [.retry(clientId: clientId, after: retryAfter ?? retryDelay(afterFailures: posting.failures))]
    }

    mutating func retryDue(clientId: String) -> [ChatEffect] {
        guard let index = channelIndex(posting: clientId), state.channels[index].posting?.isWaiting == true else { return [] }
        guard let entry = state.channels[index].outbox.first(where: { $0.id == clientId }), entry.delivery == .pending else {
            state.channels[index].posting = nil
            return postNext(inChannelAt: index)
        }
        state.channels[index].posting?.isWaiting = false
        return [.post(clientId: clientId, channelId: entry.message.channelId, content: entry.message.content)]
    }

    mutating func refused(clientId: String, reason: String) -> [ChatEffect] {
        guard let index = channelIndex(posting: clientId) else { return [] }
        state.channels[index].posting = nil
        if let position = state.channels[index].outbox.firstIndex(where: { $0.id == clientId }) {
            state.channels[index].outbox[position].delivery = .failed(reason: reason)
        }
        return postNext(inChannelAt: index) + [.saveOutbox]
    }

    /// A failed message goes to the end of the queue: it will be stored after those still pending.
    mutating func retried(clientId: String) -> [ChatEffect] {
        guard let (index, position) = failedEntry(clientId) else { return [] }
        var entry = state.channels[index].outbox.remove(at: position)
        entry.delivery = .pending
        state.channels[index].outbox.append(entry)
        return postNext(inChannelAt: index) + [.saveOutbox]
    }

    /// Only a failed message can be thrown away: a pending one may already be stored.
    mutating func discard(clientId: String) {
        guard let (index, position) = failedEntry(clientId) else { return }
        state.channels[index].outbox.remove(at: position)
    }

    /// Takes the outbox entry our message `message` is the server's copy of out of the
    /// outbox: by `client_id`, or by text (the oldest pending one) from a server that omits it.
    /// Returns whether one was taken.
    mutating func takeOwnEcho(_ message: Message, channelAt index: Int) -> Bool {
        guard !state.channels[index].outbox.isEmpty else { return false }
        let position: Int?
        if let clientId = message.clientId {
            state.serverSendsClientIds = true
            position = state.channels[index].outbox.firstIndex { $0.id == clientId }
        } else if state.serverSendsClientIds {
            // Posted without a client_id, so not from this outbox (another program of ours).
            return false
        } else {
            let text = message.content.trimmingWhitespace
            position = state.channels[index].outbox.firstIndex {
                $0.delivery == .pending && $0.message.content.trimmingWhitespace == text
            }
        }
        guard let position else { return false }
        state.channels[index].outbox.remove(at: position)
        return true
    }

    /// Starts posting the channel's oldest pending message, unless one is already being posted.
    private mutating func postNext(inChannelAt index: Int) -> [ChatEffect] {
        guard state.channels[index].posting == nil,
              let next = state.channels[index].outbox.first(where: { $0.delivery == .pending })
        else { return [] }
        state.channels[index].posting = OutboxPost(clientId: next.id)
        return [.post(clientId: next.id, channelId: next.message.channelId, content: next.message.content)]
    }

    private func retryDelay(afterFailures failures: Int) -> Duration {
        min(outboxMaxRetryDelay, Self.outboxFirstRetryDelay * (1 << min(failures - 1, 10)))
    }

    private mutating func removeOutboxEntry(_ clientId: String, inChannelAt index: Int) -> Bool {
        guard let position = state.channels[index].outbox.firstIndex(where: { $0.id == clientId }) else { return false }
        state.channels[index].outbox.remove(at: position)
        return true
    }

    private func channelIndex(posting clientId: String) -> Int? {
        state.channels.firstIndex { $0.posting?.clientId == clientId }
    }

    private func failedEntry(_ clientId: String) -> (channel: Int, position: Int)? {
        for index in state.channels.indices {
            if let position = state.channels[index].outbox.firstIndex(where: { $0.id == clientId }) {
                guard case .failed = state.channels[index].outbox[position].delivery else { return nil }
                return (index, position)
            }
        }
        return nil
    }
}
