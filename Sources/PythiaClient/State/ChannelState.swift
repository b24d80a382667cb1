public import Foundation
public import PythiaProtocol

/// Everything the client knows about one channel.
public struct ChannelState: Hashable, Sendable, Identifiable {
    /// The channel as the server last listed it.
    public var channel: Channel
    /// Delivered messages, oldest first, each id once.
    public var messages: MessageLog
    /// Our messages the server does not have yet (pending or failed), in the order they
    /// are posted: the one outbox, shown and drained from here.
    public var outbox: [ChatMessage]
    /// The outbox message being posted, if any.
    public var posting: OutboxPost?
    /// Messages that arrived while the channel was not being viewed.
    public var unreadCount: Int
    /// Mentions of us that arrived while the channel was not being viewed.
    public var mentionCount: Int
    /// Who is typing, and when their indicator expires locally.
    public var typing: [String: Date]
    /// The members, once loaded, by user id.
    public var members: [String: Member]?
    /// Whether the server may hold messages older than the oldest loaded one.
    public var hasOlderHistory: Bool
    /// Whether a page of older messages is being fetched.
    public var isLoadingOlder: Bool
    /// The newest message known to have reached us with nothing missing before it: where a
    /// reconnecting client pages forward from. History pages and the live stream, while
    /// unbroken since the last catch-up, move it; our own posts acknowledged over REST do
    /// not — others' messages stored just before them may not have reached us yet.
    public var resumeAfterId: String?
    /// Whether the live stream has been unbroken since the last catch-up.
    public var isCaughtUp: Bool
    /// Whether the next page of latest history counts as unread: the channel appeared in
    /// a list that already held others (we were added to it, e.g. a direct conversation),
    /// so what it holds came after we last looked, and may have arrived before we knew of it.
    public var countsHistoryAsUnread: Bool
    /// The message the read marker follows: the newest one seen before the channel was
    /// last opened. `nil`: no marker.
    public var readMarkerAfterId: String?

    /// The channel's id.
    public var id: String { channel.id }

    /// Creates the state of a channel nothing is known about yet.
    public init(channel: Channel) {
        self.channel = channel
        self.messages = []
        self.outbox = []
        self.posting = nil
        self.unreadCount = 0
        self.mentionCount = 0
        self.typing = [:]
        self.members = nil
        self.hasOlderHistory = true
        self.isLoadingOlder = false
        self.resumeAfterId = nil
        self.isCaughtUp = false
        self.countsHistoryAsUnread = false
        self.readMarkerAfterId = nil
    }

    /// The index of the first delivered message after the read marker, if one is shown.
    public var firstUnreadIndex: Int? {
        guard let readMarkerAfterId, let index = messageIndex(of: readMarkerAfterId), index + 1 < messages.count else { return nil }
        return index + 1
    }

    /// What the message pane shows: delivered messages, then the outbox.
    public var timeline: [ChatMessage] { Array(messages) + outbox }

    /// Where to page forward from after a reconnect, best first: ``resumeAfterId``, then the
    /// few messages before it, in case it has been deleted meanwhile. Empty: load the latest page.
    public var resumeAnchors: [String] {
        guard let resumeAfterId else { return [] }
        let before = messageIndex(of: resumeAfterId).map { messages[..<$0].suffix(4).reversed().map(\.id) } ?? []
        return [resumeAfterId] + before
    }

    /// The ids of the users typing at `now`, in a stable order.
    public func typingUserIds(at now: Date) -> [String] {
        typing.filter { $0.value > now }.keys.sorted()
    }

    /// Whether the outbox holds messages still to be posted (what is saved across restarts).
    var hasPendingOutbox: Bool {
        outbox.contains { $0.delivery == .pending }
    }

    /// The index of the delivered message with `id`.
    func messageIndex(of id: String) -> Int? {
        messages.lastIndex { $0.id == id }
    }
}
