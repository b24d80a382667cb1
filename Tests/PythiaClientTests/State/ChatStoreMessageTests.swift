import Foundation
import PythiaClient
import PythiaProtocol
import Testing

@Suite struct ChatStoreMessageTests {
    typealias F = Fixtures

    @Test func newMessagesAreOrderedByCreationTimeWhateverTheArrivalOrder() {
        var store = F.store()
        store.apply(F.newMessage(F.message("m3", at: 3)))
        store.apply(F.newMessage(F.message("m1", at: 1)))
        store.apply(F.newMessage(F.message("m2", at: 2)))
        #expect(store.state[channelId: F.general.id]?.messageIds == ["m1", "m2", "m3"])
    }

    @Test func aDuplicateFrameIsShownOnceAndCountedOnce() {
        var store = F.store()
        store.apply(.select(channelId: F.random.id))
        let message = F.message("m1", at: 1)
        store.apply(F.newMessage(message))
        store.apply(F.newMessage(message))
        store.apply(.historyLoaded(channelId: F.general.id, messages: [message], page: .newer))
        let general = store.state[channelId: F.general.id]
        #expect(general?.messageIds == ["m1"])
        #expect(general?.unreadCount == 1)
    }

    @Test func tiesKeepArrivalOrderForNewerAndPageOrderForOlder() {
        var store = F.store()
        store.apply(.historyLoaded(channelId: F.general.id, messages: [F.message("c", at: 5), F.message("d", at: 5)], page: .latest(limit: 2)))
        store.apply(.historyLoaded(channelId: F.general.id, messages: [F.message("a", at: 5), F.message("b", at: 5)], page: .older(limit: 2)))
        store.apply(F.newMessage(F.message("e", at: 5)))
        #expect(store.state[channelId: F.general.id]?.messageIds == ["a", "b", "c", "d", "e"])
    }

    @Test func historyPagesTellWhetherOlderMessagesExist() {
        var store = F.store()
        store.apply(.historyLoaded(channelId: F.general.id, messages: [F.message("m5", at: 5), F.message("m6", at: 6)], page: .latest(limit: 2)))
        #expect(store.state[channelId: F.general.id]?.hasOlderHistory == true)
        store.apply(.loadingOlder(channelId: F.general.id))
        #expect(store.state[channelId: F.general.id]?.isLoadingOlder == true)
        store.apply(.historyLoaded(channelId: F.general.id, messages: [F.message("m4", at: 4)], page: .older(limit: 2)))
        let general = store.state[channelId: F.general.id]
        #expect(general?.messageIds == ["m4", "m5", "m6"])
        #expect(general?.hasOlderHistory == false)
        #expect(general?.isLoadingOlder == false)
        #expect(general?.unreadCount == 0)
    }

    @Test func aViewedChannelDoesNotAccumulateUnreadAndSelectingClearsCounts() {
        var store = F.store()
        store.apply(F.newMessage(F.message("g1", in: F.general, at: 1)))
        store.apply(F.newMessage(F.message("r1", in: F.random, at: 1)))
        store.apply(F.newMessage(F.message("r2", in: F.random, at: 2)))
        store.apply(F.newMessage(F.message("r3", by: F.alice, in: F.random, at: 3)))
        #expect(store.state[channelId: F.general.id]?.unreadCount == 0)
        #expect(store.state[channelId: F.random.id]?.unreadCount == 2)
        let effects = store.apply(.select(channelId: F.random.id))
        #expect(store.state[channelId: F.random.id]?.unreadCount == 0)
        #expect(effects == [.loadMembers(channelId: F.random.id)])
    }

    @Test func gapFillCountsUnreadAndMentionsFromTheText() {
        var store = F.store()
        store.apply(.select(channelId: F.random.id))
        store.apply(.historyLoaded(channelId: F.general.id, messages: [
            F.message("m1", "hello @Alice.", at: 1), F.message("m2", "@alicex no", at: 2), F.message("m3", "mine", by: F.alice, at: 3),
        ], page: .newer))
        #expect(store.state[channelId: F.general.id]?.unreadCount == 2)
        #expect(store.state[channelId: F.general.id]?.mentionCount == 1)
    }

    @Test func aMessageInAnUnknownChannelAsksForTheChannelList() {
        var store = F.store()
        let other = Channel(id: "c-new", name: "new", createdBy: "u-bob")
        let effects = store.apply(F.newMessage(F.message("x", in: other)))
        #expect(effects == [.refreshChannels])
        #expect(store.state[channelId: "c-new"] == nil)
    }

    @Test func editsReplaceTheTextAndKeepReactions() {
        var store = F.store()
        var original = F.message("m1", "frist", at: 1)
        original.reactions = [ReactionSummary(emoji: "👍", count: 1, userIds: [F.alice.id])]
        store.apply(.historyLoaded(channelId: F.general.id, messages: [original], page: .latest(limit: 50)))
        var edited = F.message("m1", "first", at: 1)
        edited.updatedAt = F.t0.addingTimeInterval(9)
        store.apply(.event(.messageUpdated(MessageEvent(data: edited, timestamp: edited.updatedAt)), at: edited.updatedAt))
        let message = store.state[channelId: F.general.id]?.messages.first?.message
        #expect(message?.content == "first")
        #expect(message?.isEdited == true)
        #expect(message?.reactions.first?.count == 1)
        // An edit of a message not loaded changes nothing.
        store.apply(.event(.messageUpdated(MessageEvent(data: F.message("zz", at: 2), timestamp: F.t0)), at: F.t0))
        #expect(store.state[channelId: F.general.id]?.messageIds == ["m1"])
    }

    @Test func deletionsRemoveTheMessageAndRepeatsAreHarmless() {
        var store = F.store()
        store.apply(F.newMessage(F.message("m1", at: 1)))
        store.apply(F.newMessage(F.message("m2", at: 2)))
        let deleted = ServerEvent.messageDeleted(MessageDeleted(messageId: "m1", channelId: F.general.id, timestamp: F.t0))
        store.apply(.event(deleted, at: F.t0))
        store.apply(.event(deleted, at: F.t0))
        store.apply(.messageRemoved(messageId: "m2"))
        #expect(store.state[channelId: F.general.id]?.messageIds == [])
    }

    @Test func reactionsAggregatePerEmojiAndIgnoreRepeats() {
        var store = F.store()
        store.apply(F.newMessage(F.message("m1", at: 1)))
        func react(_ emoji: String, _ user: User, _ action: ReactionAction, channel: String? = F.general.id) {
            let change = ReactionChange(emoji: emoji, userId: user.id, username: user.username, action: action)
            store.apply(.event(.messageReaction(MessageReaction(messageId: "m1", channelId: channel, data: change, timestamp: F.t0)), at: F.t0))
        }
        react("👍", F.alice, .add)
        react("👍", F.alice, .add)
        react("👍", F.bob, .add, channel: nil)
        react("🎉", F.bob, .add)
        react("🎉", F.alice, .remove)
        var reactions = store.state[channelId: F.general.id]?.messages.first?.message.reactions
        #expect(reactions == [
            ReactionSummary(emoji: "👍", count: 2, userIds: [F.alice.id, F.bob.id]),
            ReactionSummary(emoji: "🎉", count: 1, userIds: [F.bob.id]),
        ])
        react("🎉", F.bob, .remove)
        react("👍", F.alice, .remove)
        reactions = store.state[channelId: F.general.id]?.messages.first?.message.reactions
        #expect(reactions == [ReactionSummary(emoji: "👍", count: 1, userIds: [F.bob.id])])
    }
}
