import Foundation
import PythiaClient
import PythiaProtocol
import Testing

/// Small builders so reducer tests read as stories.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let alice = User(id: "u-alice", username: "alice", email: "alice@example.com")
    static let bob = User(id: "u-bob", username: "bob", email: "bob@example.com")
    static let general = Channel(id: "c-general", name: "general", createdBy: "u-alice", memberCount: 2, isMember: true)
    static let random = Channel(id: "c-random", name: "random", createdBy: "u-bob", memberCount: 2, isMember: true)

    static func message(
        _ id: String, _ content: String = "hi", by user: User = bob, in channel: Channel = general, at seconds: Double = 0,
        clientId: String? = nil
    ) -> Message {
        let at = t0.addingTimeInterval(seconds)
        return Message(id: id, content: content, channelId: channel.id, userId: user.id, createdAt: at, updatedAt: at, user: user, clientId: clientId)
    }

    /// ``store(outboxMaxRetryDelay:)`` after `messages` arrived as `new_message` frames.
    static func store(receiving messages: [Message]) -> ChatStore {
        var store = store()
        for message in messages { store.apply(newMessage(message)) }
        return store
    }

    static func newMessage(_ message: Message) -> ChatAction {
        .event(.newMessage(MessageEvent(data: message, timestamp: message.createdAt)), at: message.createdAt)
    }

    /// One of alice's messages in the outbox, as the store keeps it.
    static func outboxEntry(
        _ clientId: String, _ content: String, in channel: Channel = general, delivery: DeliveryState = .pending, at seconds: Double = 0
    ) -> ChatMessage {
        let at = t0.addingTimeInterval(seconds)
        let message = Message(
            id: clientId, content: content, channelId: channel.id, userId: alice.id, createdAt: at, updatedAt: at,
            user: alice, clientId: clientId)
        return ChatMessage(message: message, delivery: delivery, clientId: clientId)
    }

    /// `post` of an outbox message of #general.
    static func post(_ clientId: String, _ content: String, in channel: Channel = general) -> ChatEffect {
        .post(clientId: clientId, channelId: channel.id, content: content)
    }

    /// A store where alice is logged in, with #general and #random, #general selected.
    static func store(outboxMaxRetryDelay: Duration = .seconds(4)) -> ChatStore {
        var store = ChatStore(outboxMaxRetryDelay: outboxMaxRetryDelay)
        store.apply(.identified(alice))
        store.apply(.channelsLoaded([random, general]))
        store.apply(.select(channelId: general.id))
        return store
    }
}

extension ChannelState {
    /// The ids of the delivered messages, in order.
    var messageIds: [String] { messages.map(\.id) }
}

extension ChatState {
    /// Changes the channel with `id` of an expected state.
    mutating func update(_ channelId: String, _ change: (inout ChannelState) -> Void) {
        guard let index = channels.firstIndex(where: { $0.id == channelId }) else {
            Issue.record("no channel \(channelId) in the state")
            return
        }
        change(&channels[index])
    }
}
