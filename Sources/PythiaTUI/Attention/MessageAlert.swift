/// A message meant for me that arrived between two snapshots: a mention, or anything in a
/// direct conversation. It rings the bell and becomes a desktop notification.
public struct MessageAlert: Hashable, Sendable {
    /// The channel it arrived in.
    public var channelID: String
    /// The notification's title: `@bob` for a direct conversation, `alice in #general`.
    public var title: String
    /// The notification's text: the message, or a count when it is not held.
    public var body: String

    /// Creates an alert.
    public init(channelID: String, title: String, body: String) {
        self.channelID = channelID
        self.title = title
        self.body = body
    }

    /// The alerts `next` holds that `previous` did not, one per channel at most.
    ///
    /// A channel not being viewed says so by its counters (more mentions; in a direct
    /// conversation, more unread — counted from 0 when it was not known as one before, as
    /// while its members were loading). The one being viewed counts nothing, so there a
    /// new newest message that is not mine and mentions me (or is direct) is the sign; the
    /// first message held (history just loaded) is not news.
    public static func alerts(from previous: ChatSnapshot, to next: ChatSnapshot) -> [MessageAlert] {
        let before = Dictionary(previous.channels.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return next.channels.compactMap { channel in
            let old = before[channel.id]
            let isDirect = channel.directWith != nil
            let counted = waiting(in: channel) > old.map(waiting(in:)) ?? 0
            let latest = channel.latest.flatMap { $0.isMine ? nil : $0 }
            let arrived = latest.map { latest in
                old?.latest != nil && old?.latest?.id != latest.id && (latest.mentionsMe || isDirect)
            } ?? false
            guard counted || arrived else { return nil }
            guard let latest else {
                let count = isDirect ? channel.unread : channel.mentions
                return MessageAlert(
                    channelID: channel.id, title: channel.label,
                    body: isDirect ? "\(count) new message\(count == 1 ? "" : "s")" : "\(count) new mention\(count == 1 ? "" : "s")")
            }
            return MessageAlert(
                channelID: channel.id, title: isDirect ? channel.label : "\(latest.author) in \(channel.label)", body: latest.content)
        }
    }

    /// The count the window title shows: unread mentions, and unread messages of direct
    /// conversations (all meant for me).
    public static func waitingCount(in snapshot: ChatSnapshot) -> Int {
        snapshot.channels.reduce(0) { $0 + waiting(in: $1) }
    }

    /// A channel's messages meant for me: its unread ones in a direct conversation, else its mentions.
    private static func waiting(in channel: ChannelSummary) -> Int {
        channel.directWith != nil ? channel.unread : channel.mentions
    }
}
