import Foundation
import PythiaProtocol

extension ChatStore {
    /// How long a `typing: true` is shown without being refreshed.
    static let typingExpiry: TimeInterval = Limits.typingExpirySeconds

    /// Applies one server frame received at local time `at`.
    mutating func apply(_ event: ServerEvent, at: Date) -> [ChatEffect] {
        switch event {
        case .connectionEstablished(let established):
            let known = state.users[established.userId]
            let me = User(
                id: established.userId, username: established.username,
                email: known?.email ?? "", createdAt: known?.createdAt)
            state.me = me
            remember(me)
        case .newMessage(let event):
            return receive(event.data)
        case .messageUpdated(let event):
            replaceMessage(event.data, keepingReactions: true)
        case .messageDeleted(let deleted):
            removeMessage(deleted.messageId, channelId: deleted.channelId)
        case .messageReaction(let reaction):
            applyReaction(reaction)
        case .typingIndicator(let typing):
            return applyTyping(typing, at: at)
        case .userStatus(let status):
            setPresence(status.status, of: status.userId)
            if status.status != .online {
                for index in state.channels.indices { state.channels[index].typing[status.userId] = nil }
            }
            return state.users[status.userId] == nil ? [.loadUser(userId: status.userId)] : []
        case .onlineUsers(let online):
            let ids = Set(online.users)
            let memberIds = state[channelId: online.channelId]?.members.map { Array($0.keys) } ?? []
            for member in memberIds where !ids.contains(member) { setPresence(.offline, of: member) }
            for id in ids { setPresence(.online, of: id) }
        case .userJoined(let change), .userLeft(let change):
            return membershipChanged(change)
        case .mentionNotification(let mention):
            let data = mention.data
            // In the channel being viewed the highlighted message says it already.
            guard data.channelId != state.selectedChannelId else { break }
            updateChannel(data.channelId) { $0.mentionCount += 1 }
            let channelName = state[channelId: data.channelId].map { "#" + $0.channel.name } ?? "a channel"
            addNotice(.info, "\(data.fromUsername) mentioned you in \(channelName)", at: at)
        case .error(let error):
            let details = error.details.map { ": \($0)" } ?? ""
            addNotice(.error, "\(error.message.isEmpty ? error.errorCode.rawValue : error.message)\(details)", at: at)
        case .channelJoined, .channelLeft, .pong, .unknown:
            break
        }
        return []
    }

    private mutating func applyTyping(_ typing: TypingIndicator, at: Date) -> [ChatEffect] {
        guard typing.userId != state.me?.id else { return [] }
        updateChannel(typing.channelId) { channel in
            channel.typing[typing.userId] = typing.isTyping ? at.addingTimeInterval(Self.typingExpiry) : nil
        }
        return state.users[typing.userId] == nil ? [.loadUser(userId: typing.userId)] : []
    }

    private mutating func setPresence(_ status: PresenceStatus, of userId: String) {
        state.presence[userId] = status
        for index in state.channels.indices {
            state.channels[index].members?[userId]?.online = status == .online
        }
    }

    private mutating func membershipChanged(_ change: MembershipChange) -> [ChatEffect] {
        if change.userId == state.me?.id {
            // Our own membership changed from another terminal.
            return [.refreshChannels]
        }
        var effects: [ChatEffect] = []
        if state[channelId: change.channelId]?.members != nil {
            effects.append(.loadMembers(channelId: change.channelId))
        }
        if state.users[change.userId] == nil {
            effects.append(.loadUser(userId: change.userId))
        }
        return effects
    }
}
