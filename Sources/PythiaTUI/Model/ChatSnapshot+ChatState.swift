public import Foundation
public import PythiaClient
import PythiaProtocol

extension ChatSnapshot {
    /// The screen's view of the engine's state at `now` (typing indicators expire by it).
    public init(state: ChatState, server: String, now: Date) {
        let me = state.me
        // The other person of each direct conversation, by channel id.
        var partners: [String: String] = [:]
        if let me {
            for channel in state.channels { partners[channel.id] = DirectConversation.partner(in: channel, me: me)?.username }
        }
        // Direct conversations come after the channels, by name, as the list shows them.
        let member = state.channels.filter(\.channel.isMember)
        let channels = member.filter { partners[$0.id] == nil }
            + member.filter { partners[$0.id] != nil }.sorted { (partners[$0.id] ?? "").lowercased() < (partners[$1.id] ?? "").lowercased() }
        let selected = state.selectedChannel
        self.init(
            me: me?.username ?? "?",
            server: server,
            connection: ConnectionStatus(state.connection),
            channels: channels.map { channel in
                ChannelSummary(
                    id: channel.id, name: channel.channel.name, description: channel.channel.description,
                    isPrivate: channel.channel.isPrivate, unread: channel.unreadCount, mentions: channel.mentionCount,
                    directWith: partners[channel.id],
                    latest: channel.messages.last.map { LatestMessage($0.message, me: me, users: state.users) }
                )
            },
            selectedChannelID: state.selectedChannelId,
            messages: selected.map { MessageList(channel: $0, me: me?.id, users: state.users) } ?? .empty,
            hasOlderMessages: selected?.hasOlderHistory ?? false,
            typing: (selected?.typingUserIds(at: now) ?? []).filter { $0 != me?.id }.map(state.displayName(of:)),
            members: selected?.members.map { members in
                members.values.map { MemberSummary(name: state.displayName(of: $0.user.id), isOnline: state.isOnline($0.user.id)) }
            },
            usernames: state.users.values.map(\.username).sorted()
        )
        serverInUse = state.serverInUse?.label
        if let last = state.notices.last {
            engineNotice = (last.id, TypingLine.Notice(last.text, isError: last.level == .error))
        }
    }
}

extension LatestMessage {
    /// A delivered message of the engine's timeline, for notifications.
    init(_ message: Message, me: User?, users: [String: User]) {
        let myName = me?.username.lowercased()
        self.init(
            id: message.id, author: users[message.userId]?.username ?? message.user.username, content: message.content,
            isMine: message.userId == me?.id,
            mentionsMe: myName.map { Mentions.usernames(in: message.content).contains($0) } ?? false)
    }
}

extension ConnectionStatus {
    /// The status bar's words for the engine's connection state.
    public init(_ state: ConnectionState) {
        switch state {
        case .disconnected: self = .offline
        case .connecting: self = .connecting
        case .connected: self = .connected
        case .reconnecting(let delay, let attempt):
            let seconds = delay.components.seconds + (delay.components.attoseconds > 0 ? 1 : 0)
            self = .reconnecting(inSeconds: Int(seconds), attempt: attempt)
        case .failed(let failure):
            self = failure.isUnauthorized ? .tokenRejected : .failed(failure.message)
        }
    }
}

extension MessageList {
    /// A channel's delivered messages then its outbox, converted one at a time when read.
    init(channel: ChannelState, me: String?, users: [String: User]) {
        let messages = channel.messages
        let outbox = channel.outbox
        let firstUnread = channel.firstUnreadIndex
        @Sendable func item(_ index: Int) -> ChatMessage {
            index < messages.count ? messages[index] : outbox[index - messages.count]
        }
        self.init(
            count: messages.count + outbox.count,
            element: { DisplayMessage(item($0), me: me, users: users, isFirstUnread: $0 == firstUnread) },
            stamp: { MessageStamp(item($0), me: me, users: users, isFirstUnread: $0 == firstUnread) }
        )
    }
}

extension MessageStamp {
    /// The stamp of a message of the engine's timeline, without converting it: the server
    /// moves `updatedAt` on every edit, so the revision need not hash the text.
    init(_ item: ChatMessage, me: String?, users: [String: User], isFirstUnread: Bool) {
        let message = item.message
        var hasher = Hasher()
        hasher.combine(isFirstUnread)
        hasher.combine(message.updatedAt)
        hasher.combine(item.delivery)
        hasher.combine(users[message.userId]?.username ?? message.user.username)
        hasher.combine(message.userId == me)
        for reaction in message.reactions {
            hasher.combine(reaction.emoji)
            hasher.combine(reaction.count)
            hasher.combine(me.map(reaction.userIds.contains) ?? false)
        }
        self.init(id: item.id, createdAt: message.createdAt, revision: hasher.finalize())
    }
}

extension DisplayMessage {
    /// A message of the engine's timeline, for display.
    init(_ item: ChatMessage, me: String?, users: [String: User], isFirstUnread: Bool) {
        let message = item.message
        let delivery: Delivery
        switch item.delivery {
        case .delivered: delivery = .delivered
        case .pending: delivery = .pending
        case .failed(let reason): delivery = .failed(reason)
        }
        self.init(
            id: item.id,
            author: users[message.userId]?.username ?? message.user.username,
            isMine: message.userId == me,
            content: message.content,
            createdAt: message.createdAt,
            isEdited: message.isEdited,
            reactions: message.reactions.map { Reaction(emoji: $0.emoji, count: $0.count, mine: me.map($0.userIds.contains) ?? false) },
            delivery: delivery,
            isFirstUnread: isFirstUnread
        )
    }
}
