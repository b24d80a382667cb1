import Foundation
import PythiaProtocol
import PythiaTUI

/// The screen of a user reading a channel of `messages` messages: twenty channels in the
/// list, two people typing, the message pane at some scroll offset.
struct RenderScene {
    let snapshot: ChatSnapshot
    let theme = Theme.fallback

    init(messages count: Int) {
        let corpus = EventCorpus(channels: 20, users: 40)
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let me = corpus.users[0].username
        // Some hours between messages now and then, so day separators appear.
        let messages = (0..<count).map { index -> DisplayMessage in
            let message = corpus.message(index, at: start + Double(index) * 90)
            let reactions: [DisplayMessage.Reaction] =
                index % 9 == 0 ? [.init(emoji: "👍", count: 1 + index % 4), .init(emoji: "🎉", count: 2, mine: true)] : []
            return DisplayMessage(
                id: message.id, author: message.user.username, isMine: message.user.username == me,
                content: message.content, createdAt: message.createdAt, reactions: reactions)
        }
        snapshot = ChatSnapshot(
            me: me, server: "127.0.0.1:8000", connection: .connected,
            channels: corpus.channels.enumerated().map { index, id in
                ChannelSummary(id: id, name: "channel-\(index)", unread: index % 3 == 0 ? index : 0, mentions: index % 5 == 0 ? 1 : 0)
            },
            selectedChannelID: corpus.channels[0], messages: MessageList(messages),
            typing: [corpus.users[1].username, corpus.users[2].username],
            usernames: corpus.users.map(\.username))
    }

    /// The frame at `scrollOffset` rows above the bottom.
    func render(size: TerminalSize, scrollOffset: Int, layout: MessageLayout) -> ChatScreen.Frame {
        ChatScreen(snapshot: snapshot, scrollOffset: scrollOffset).render(size: size, theme: theme, layout: layout)
    }

    /// The largest scroll offset of the history (the pane clamps offsets at its top).
    func topOffset(size: TerminalSize) -> Int {
        render(size: size, scrollOffset: Int.max / 4, layout: MessageLayout(timeZone: .gmt)).scroll.offset
    }
}
