import Foundation
import PythiaClient
import PythiaProtocol

/// Small builders so reducer tests read as stories.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let alice = User(id: "u-alice", username: "alice", email: "alice@example.com")
    static let bob = User(id: "u-bob", username: "bob", email: "bob@example.com")
    static let general = Channel(id: "c-general", name: "general", createdBy: "u-alice", memberCount: 2, isMember: true)
    static let random = Channel(id: "c-random", name: "random", createdBy: "u-bob", memberCount: 2, isMember: true)

    static func message(_ id: String, _ content: String = "hi", by user: User = bob, in channel: Channel = general, at seconds: Double = 0) -> Message {
        let at = t0.addingTimeInterval(seconds)
        return Message(id: id, content: content, channelId: channel.id, userId: user.id, createdAt: at, updatedAt: at, user: user)
    }

    static func newMessage(_ message: Message) -> ChatAction {
        .event(.newMessage(MessageEvent(data: message, timestamp: message.createdAt)), at: message.createdAt)
    }

    /// A store where alice is logged in, with #general and #random, #general selected.
    static func store() -> ChatStore {
        var store = ChatStore()
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
