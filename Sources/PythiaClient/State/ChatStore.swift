import Foundation
import PythiaProtocol

/// The client's state machine: a ``ChatState`` and the one function that changes it.
///
/// `apply` is pure: it never does I/O and never reads the clock (time comes in the
/// actions), so every transition is unit-tested. What it needs done comes back as
/// ``ChatEffect`` values for ``Session`` to perform.
public struct ChatStore: Sendable {
    /// The current state.
    public internal(set) var state: ChatState
    /// The longest wait between two tries of an outbox message.
    public let outboxMaxRetryDelay: Duration
    private var nextNoticeId = 1

    /// Creates a store around `state`.
    public init(state: ChatState = ChatState(), outboxMaxRetryDelay: Duration = .seconds(4)) {
        self.state = state
        self.outboxMaxRetryDelay = outboxMaxRetryDelay
    }

    /// Applies one action and returns the work it calls for.
    @discardableResult
    public mutating func apply(_ action: ChatAction) -> [ChatEffect] {
        switch action {
        case .event(let event, let at):
            return apply(event, at: at)
        case .connectionChanged(let connection):
            state.connection = connection
            if !connection.isConnected {
                // Nobody's indicator survives a lost connection: the server clears them too.
                // What the stream brings from now on may follow a gap, until the catch-up.
                for index in state.channels.indices {
                    state.channels[index].typing = [:]
                    state.channels[index].isCaughtUp = false
                }
            }
        case .serverChanged(let server):
            state.serverInUse = server
        case .identified(let user):
            state.me = user
            remember(user)
            return loadConversationMembers()
        case .channelsLoaded(let channels):
            return replaceChannels(with: channels)
        case .channelUpdated(let channel):
            upsertChannel(channel)
            return loadConversationMembers()
        case .channelRemoved(let channelId):
            return removeChannel(channelId)
        case .historyLoaded(let channelId, let messages, let page):
            return mergeHistory(messages, page: page, into: channelId)
        case .caughtUp(let channelId):
            updateChannel(channelId) { $0.isCaughtUp = true }
        case .loadingOlder(let channelId):
            updateChannel(channelId) { $0.isLoadingOlder = true }
        case .loadingOlderFailed(let channelId):
            updateChannel(channelId) { $0.isLoadingOlder = false }
        case .membersLoaded(let channelId, let members):
            setMembers(members, of: channelId)
        case .userLoaded(let user):
            remember(user)
        case .select(let channelId):
            return select(channelId)
        case .readPositionsRestored(let positions):
            state.lastRead.merge(positions) { current, _ in current }
        case .readMarkerCleared(let channelId):
            updateChannel(channelId) { $0.readMarkerAfterId = nil }
            return markRead(channelId)
        case .markRead(let channelId):
            return markRead(channelId)
        case .outboxQueued(let clientId, let channelId, let content, let at):
            return queue(clientId: clientId, channelId: channelId, content: content, at: at)
        case .outboxDelivered(let clientId, let message):
            return deliver(clientId: clientId, message: message)
        case .outboxPostFailed(let clientId, let retryAfter):
            return postFailed(clientId: clientId, retryAfter: retryAfter)
        case .outboxRetryDue(let clientId):
            return retryDue(clientId: clientId)
        case .outboxFailed(let clientId, let reason):
            return refused(clientId: clientId, reason: reason)
        case .outboxRetried(let clientId):
            return retried(clientId: clientId)
        case .outboxDiscarded(let clientId):
            discard(clientId: clientId)
        case .messageChanged(let message):
            replaceMessage(message, keepingReactions: false)
        case .messageRemoved(let messageId):
            removeMessage(messageId, channelId: nil)
        case .tick(let now):
            expireTyping(at: now)
        case .notice(let level, let text, let at):
            addNotice(level, text, at: at)
        }
        return []
    }

    // MARK: - Channels

    private mutating func replaceChannels(with channels: [Channel]) -> [ChatEffect] {
        let existing = Dictionary(state.channels.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        state.channels = channels.compactMap { channel in
            guard seen.insert(channel.id).inserted else { return nil }
            var channelState = existing[channel.id] ?? ChannelState(channel: channel)
            channelState.channel = channel
            if existing[channel.id] == nil, !existing.isEmpty { channelState.countsHistoryAsUnread = true }
            return channelState
        }
        sortChannels()
        if let selected = state.selectedChannelId, state[channelId: selected] == nil {
            state.selectedChannelId = nil
        }
        // A channel we left takes its outbox with it.
        let lostPending = existing.values.contains { !seen.contains($0.id) && $0.hasPendingOutbox }
        return (lostPending ? [.saveOutbox] : []) + loadConversationMembers()
    }

    /// Asks for the members of every channel named like a direct conversation of ours whose
    /// members are not known: only they tell a conversation from a channel named like one.
    private func loadConversationMembers() -> [ChatEffect] {
        guard let me = state.me else { return [] }
        return state.channels
            .filter { $0.members == nil && DirectConversation.mightBeConversation($0.channel, me: me.username) }
            .map { .loadMembers(channelId: $0.id) }
    }

    private mutating func upsertChannel(_ channel: Channel) {
        if let index = state.channelIndex(of: channel.id) {
            state.channels[index].channel = channel
        } else {
            state.channels.append(ChannelState(channel: channel))
            sortChannels()
        }
    }

    private mutating func removeChannel(_ channelId: String) -> [ChatEffect] {
        guard let index = state.channelIndex(of: channelId) else { return [] }
        let removed = state.channels.remove(at: index)
        if state.selectedChannelId == channelId { state.selectedChannelId = nil }
        return removed.hasPendingOutbox ? [.saveOutbox] : []
    }

    private mutating func sortChannels() {
        state.channels.sort {
            let left = $0.channel.name.lowercased(), right = $1.channel.name.lowercased()
            return left != right ? left < right : $0.id < $1.id
        }
    }

    private mutating func select(_ channelId: String) -> [ChatEffect] {
        guard let index = state.channelIndex(of: channelId) else { return [] }
        let wasSelected = state.selectedChannelId == channelId
        state.selectedChannelId = channelId
        state.channels[index].unreadCount = 0
        state.channels[index].mentionCount = 0
        // Opening a channel puts the marker after what was seen last time; selecting the
        // channel already shown (a resync) leaves it where it is.
        if !wasSelected { state.channels[index].readMarkerAfterId = state.lastRead[channelId] }
        return state.channels[index].members == nil ? [.loadMembers(channelId: channelId)] : []
    }

    mutating func updateChannel(_ channelId: String, _ change: (inout ChannelState) -> Void) {
        guard let index = state.channelIndex(of: channelId) else { return }
        change(&state.channels[index])
    }

    // MARK: - Users and notices

    mutating func remember(_ user: User) {
        // A message's embedded user has no e-mail or creation date; keep what we know.
        if let known = state.users[user.id], user.email.isEmpty, user.createdAt == nil {
            state.users[user.id] = User(id: user.id, username: user.username, email: known.email, createdAt: known.createdAt)
        } else {
            state.users[user.id] = user
        }
    }

    mutating func addNotice(_ level: Notice.Level, _ text: String, at: Date) {
        state.notices.append(Notice(id: nextNoticeId, level: level, text: text, at: at))
        nextNoticeId += 1
        if state.notices.count > ChatState.maxNotices {
            state.notices.removeFirst(state.notices.count - ChatState.maxNotices)
        }
    }

    private mutating func setMembers(_ members: [Member], of channelId: String) {
        for member in members {
            remember(member.user)
            state.presence[member.user.id] = member.online ? .online : .offline
        }
        updateChannel(channelId) { channel in
            channel.members = Dictionary(members.map { ($0.user.id, $0) }, uniquingKeysWith: { _, last in last })
            channel.channel.memberCount = members.count
        }
    }

    private mutating func expireTyping(at now: Date) {
        for index in state.channels.indices where !state.channels[index].typing.isEmpty {
            state.channels[index].typing = state.channels[index].typing.filter { $0.value > now }
        }
    }
}
