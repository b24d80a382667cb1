import Foundation
import PythiaProtocol

extension ChatStore {
    /// Where a message goes among others with the same `createdAt` (servers that write
    /// whole seconds give many ties): after them for newer messages, before them for older.
    enum Placement { case newest, oldest }

    /// Inserts or refreshes a delivered message; returns whether it was new.
    ///
    /// Messages are kept ordered by `createdAt`, ties in arrival order, and unique by id,
    /// so duplicates and out-of-order arrivals converge on the server's order.
    @discardableResult
    mutating func insert(_ message: Message, placement: Placement, replacing: Bool) -> Bool {
        guard let channelIndex = state.channelIndex(of: message.channelId) else { return false }
        remember(message.user)
        // In place: a copy of the channel would copy its whole message array on every insert.
        return Self.insert(message, placement: placement, replacing: replacing, into: &state.channels[channelIndex].messages)
    }

    /// A message's `createdAt` never changes, so a duplicate can only sit among the messages
    /// with the same `createdAt`: a binary search finds them without scanning the channel.
    private static func insert(
        _ message: Message, placement: Placement, replacing: Bool, into messages: inout MessageLog
    ) -> Bool {
        let createdAt = message.createdAt
        let lower = messages.firstIndex(createdAtOrAfter: createdAt)
        var end = lower
        while end < messages.endIndex, messages[end].message.createdAt == createdAt {
            if messages[end].id == message.id {
                if replacing { messages[end].message = message }
                return false
            }
            end += 1
        }
        messages.insert(ChatMessage(message: message), at: placement == .newest ? end : lower)
        return true
    }

    mutating func mergeHistory(_ messages: [Message], page: HistoryPage, into channelId: String) -> [ChatEffect] {
        guard let channelIndex = state.channelIndex(of: channelId) else { return [] }
        let messages = messages.filter { $0.channelId == channelId }
        if case .older = page {} else if let newest = messages.last {
            // Moving it back (a page that raced newer live frames) only costs a re-fetch.
            updateChannel(channelId) { $0.resumeAfterId = newest.id }
        }
        switch page {
        case .latest(let limit):
            let isNews = state.channels[channelIndex].countsHistoryAsUnread
            let myName = state.me?.username.lowercased()
            for message in messages where insert(message, placement: .newest, replacing: true) && isNews {
                countUnread(message, mentionsMe: myName.map { Mentions.usernames(in: message.content).contains($0) } ?? false)
            }
            updateChannel(channelId) { channel in
                if channel.messages.count <= messages.count { channel.hasOlderHistory = messages.count >= limit }
                channel.countsHistoryAsUnread = false
            }
        case .older(let limit):
            for message in messages.reversed() { insert(message, placement: .oldest, replacing: true) }
            updateChannel(channelId) { channel in
                channel.hasOlderHistory = messages.count >= limit
                channel.isLoadingOlder = false
            }
        case .newer:
            let myName = state.me?.username.lowercased()
            for message in messages where insert(message, placement: .newest, replacing: true) {
                countUnread(message, mentionsMe: myName.map { Mentions.usernames(in: message.content).contains($0) } ?? false)
            }
        }
        // A post whose answer was lost comes back in the catch-up: by its client_id it
        // leaves the outbox now rather than when the retry's answer says so.
        guard !state.channels[channelIndex].outbox.isEmpty else { return [] }
        var tookAny = false
        for message in messages where message.clientId != nil && message.userId == state.me?.id {
            tookAny = takeOwnEcho(message, channelAt: channelIndex) || tookAny
        }
        return tookAny ? [.saveOutbox] : []
    }

    /// Counts a newly arrived message as unread, unless it is ours or its channel is being viewed.
    mutating func countUnread(_ message: Message, mentionsMe: Bool) {
        guard message.userId != state.me?.id, message.channelId != state.selectedChannelId else { return }
        updateChannel(message.channelId) { channel in
            channel.unreadCount += 1
            if mentionsMe { channel.mentionCount += 1 }
        }
    }

    /// A `new_message` frame: a message from anyone, our own echo included.
    mutating func receive(_ message: Message) -> [ChatEffect] {
        guard let channelIndex = state.channelIndex(of: message.channelId) else {
            // A channel we were added to while we were not looking.
            return [.refreshChannels]
        }
        var effects: [ChatEffect] = []
        if insert(message, placement: .newest, replacing: false) {
            countUnread(message, mentionsMe: false)
            state.channels[channelIndex].typing[message.userId] = nil
            // Our own echo may beat the POST's answer. Only a first arrival can be one: a
            // duplicate must not take the place of another pending message.
            if message.userId == state.me?.id, takeOwnEcho(message, channelAt: channelIndex) {
                effects.append(.saveOutbox)
            }
        }
        if state.channels[channelIndex].isCaughtUp { state.channels[channelIndex].resumeAfterId = message.id }
        return effects
    }

    /// Replaces the text of a known message (an edit); `keepingReactions` for frames that carry none.
    mutating func replaceMessage(_ message: Message, keepingReactions: Bool) {
        updateChannel(message.channelId) { channel in
            guard let index = channel.messageIndex(of: message.id) else { return }
            let reactions = channel.messages[index].message.reactions
            channel.messages[index].message = message
            if keepingReactions { channel.messages[index].message.reactions = reactions }
        }
    }

    mutating func removeMessage(_ messageId: String, channelId: String?) {
        for index in state.channels.indices where channelId == nil || state.channels[index].id == channelId {
            guard let position = state.channels[index].messageIndex(of: messageId) else { continue }
            if state.channels[index].resumeAfterId == messageId {
                // Everything up to the deleted message had arrived, so up to its predecessor too.
                state.channels[index].resumeAfterId = position > 0 ? state.channels[index].messages[position - 1].id : nil
            }
            state.channels[index].messages.remove(at: position)
        }
    }

    mutating func applyReaction(_ reaction: MessageReaction) {
        let change = reaction.data
        remember(User(id: change.userId, username: change.username, email: ""))
        for channelIndex in state.channels.indices
        where reaction.channelId == nil || state.channels[channelIndex].id == reaction.channelId {
            guard let index = state.channels[channelIndex].messageIndex(of: reaction.messageId) else { continue }
            var reactions = state.channels[channelIndex].messages[index].message.reactions
            let existing = reactions.firstIndex { $0.emoji == change.emoji }
            if change.action == .remove {
                guard let existing, reactions[existing].userIds.contains(change.userId) else { return }
                reactions[existing].userIds.removeAll { $0 == change.userId }
                reactions[existing].count = max(0, reactions[existing].count - 1)
                if reactions[existing].count == 0 { reactions.remove(at: existing) }
            } else if let existing {
                guard !reactions[existing].userIds.contains(change.userId) else { return }
                reactions[existing].userIds.append(change.userId)
                reactions[existing].count = max(reactions[existing].count + 1, reactions[existing].userIds.count)
            } else {
                reactions.append(ReactionSummary(emoji: change.emoji, count: 1, userIds: [change.userId]))
            }
            state.channels[channelIndex].messages[index].message.reactions = reactions
            return
        }
    }
}
