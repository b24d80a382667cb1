import Foundation
import PythiaClient
import PythiaProtocol
import Testing

@testable import PythiaTUI

/// The stamps of the engine's messages change whenever the pane would show them differently.
@Suite struct MessageStampTests {
    let sent = Date(timeIntervalSince1970: 1_795_701_780)
    let alice = User(id: "u1", username: "alice", email: "")

    private func channel(_ edit: (inout ChannelState) -> Void = { _ in }) -> ChannelState {
        var channel = ChannelState(channel: Channel(id: "c", name: "general", createdBy: "u1", isMember: true))
        channel.messages = [
            ChatMessage(message: Message(id: "m1", content: "hello", channelId: "c", userId: "u1", createdAt: sent, updatedAt: sent, user: alice)),
            ChatMessage(message: Message(id: "m2", content: "there", channelId: "c", userId: "u2", createdAt: sent, updatedAt: sent, user: User(id: "u2", username: "me", email: ""))),
        ]
        channel.outbox = [ChatMessage(message: Message(id: "x", content: "sending", channelId: "c", userId: "u2", createdAt: sent, updatedAt: sent, user: alice), delivery: .pending, clientId: "k1")]
        edit(&channel)
        return channel
    }

    private func stamps(_ channel: ChannelState, users: [String: User] = [:]) -> [MessageStamp] {
        let list = MessageList(channel: channel, me: "u2", users: users)
        return list.indices.map(list.stamp(at:))
    }

    @Test func stampsFollowWhatIsShown() {
        let before = stamps(channel())
        #expect(before.map(\.id) == ["m1", "m2", "k1"])
        #expect(stamps(channel()) == before)
        let edited = stamps(channel {
            $0.messages[0].message.content = "hello, edited"
            $0.messages[0].message.updatedAt = sent + 5
        })
        #expect(edited[0] != before[0] && edited[0].id == "m1" && edited[1...] == before[1...])
        let reacted = stamps(channel { $0.messages[1].message.reactions = [ReactionSummary(emoji: "👍", count: 1, userIds: ["u2"])] })
        #expect(reacted[1] != before[1])
        let mine = stamps(channel { $0.messages[1].message.reactions = [ReactionSummary(emoji: "👍", count: 1, userIds: ["u1"])] })
        #expect(mine[1] != reacted[1])
        let failed = stamps(channel { $0.outbox[0].delivery = .failed(reason: "not a member") })
        #expect(failed[2] != before[2])
        let renamed = stamps(channel(), users: ["u1": User(id: "u1", username: "alicia", email: "")])
        #expect(renamed[0] != before[0] && renamed[1] == before[1])
    }
}
