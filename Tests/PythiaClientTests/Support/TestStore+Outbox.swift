import PythiaClient
import PythiaProtocol
import Testing

extension TestStore {
    /// Queues one of alice's messages in a channel posting nothing: it is posted at once.
    mutating func queueFirst(
        _ clientId: String, _ content: String, in channel: Channel = Fixtures.general,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        send(
            .outboxQueued(clientId: clientId, channelId: channel.id, content: content, at: Fixtures.t0),
            effects: [Fixtures.post(clientId, content, in: channel), .saveOutbox], sourceLocation: sourceLocation
        ) {
            $0.update(channel.id) {
                $0.outbox.append(Fixtures.outboxEntry(clientId, content, in: channel))
                $0.posting = OutboxPost(clientId: clientId)
            }
        }
    }

    /// Queues one of alice's messages behind one being posted: it waits its turn.
    mutating func queueBehind(
        _ clientId: String, _ content: String, in channel: Channel = Fixtures.general,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        send(
            .outboxQueued(clientId: clientId, channelId: channel.id, content: content, at: Fixtures.t0),
            effects: [.saveOutbox], sourceLocation: sourceLocation
        ) {
            $0.update(channel.id) { $0.outbox.append(Fixtures.outboxEntry(clientId, content, in: channel)) }
        }
    }
}

extension TestStore {
    /// The POST of `clientId`, the message being posted and still in the outbox, answers
    /// `message`: it leaves the outbox for the end of the channel's log, and `next` (the
    /// next pending one, if any) is posted.
    mutating func answer(
        _ clientId: String, with message: Message, next: (clientId: String, content: String)? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let channelId = message.channelId
        let posts = next.map { [ChatEffect.post(clientId: $0.clientId, channelId: channelId, content: $0.content)] } ?? []
        send(.outboxDelivered(clientId: clientId, message: message), effects: posts + [.saveOutbox], sourceLocation: sourceLocation) {
            if message.clientId != nil { $0.serverSendsClientIds = true }
            $0.update(channelId) { channel in
                channel.outbox.removeAll { $0.id == clientId }
                channel.posting = next.map { OutboxPost(clientId: $0.clientId) }
                channel.messages.insert(ChatMessage(message: message), at: channel.messages.endIndex)
            }
        }
    }
}
