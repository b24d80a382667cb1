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
