import Foundation
import Testing

@testable import PythiaTUI

/// Desktop notifications, the window title and focus reports as the app drives them.
@Suite struct ChatAppAttentionTests {
    private static let features = TerminalFeatures(notifications: .osc777, insideTmux: false, titleAndFocus: true)

    private func makeApp(features: TerminalFeatures = Self.features) -> (ChatApp, InMemoryTerminal) {
        let terminal = InMemoryTerminal(size: TerminalSize(rows: 20, columns: 100))
        let snapshot = ChatSnapshot(
            me: "me", server: "localhost:8000", connection: .connected,
            channels: [
                ChannelSummary(id: "a", name: "general", latest: LatestMessage(id: "m1", author: "alice", content: "hello")),
                ChannelSummary(id: "b", name: "random"),
                ChannelSummary(id: "d", name: "dm-alice-me", isPrivate: true, directWith: "alice"),
            ],
            selectedChannelID: "a")
        let app = ChatApp(
            terminal: terminal, backend: RecordingBackend(), theme: .fallback, themeLoader: ThemeLoader(userDirectory: nil, bundledDirectory: nil),
            options: ChatAppOptions(terminalFeatures: features), initial: snapshot, wake: {})
        return (app, terminal)
    }

    private func notifications(_ terminal: InMemoryTerminal) -> [String] {
        terminal.controlSequences.filter { $0.hasPrefix("\u{1B}]777;") }
    }

    @Test func aDirectMessageElsewhereNotifiesWithItsText() {
        let (app, terminal) = makeApp()
        var next = app.snapshot
        next.channels[2].unread = 1
        next.channels[2].latest = LatestMessage(id: "d1", author: "alice", content: "lunch?")
        app.accept(next)
        #expect(notifications(terminal) == ["\u{1B}]777;notify;@alice;lunch?\u{1B}\\"])
        #expect(terminal.bells == 1)
        app.accept(next)
        #expect(notifications(terminal).count == 1, "the same snapshot again is nothing new")
    }

    /// The first message of a conversation someone opens with me arrives before its
    /// members say it is one: it is listed as a private channel, then under Direct.
    @Test func aConversationRecognisedAfterItsFirstMessageStillNotifies() {
        let (app, terminal) = makeApp()
        var next = app.snapshot
        next.channels.append(ChannelSummary(id: "e", name: "dm-bob-me", isPrivate: true, unread: 1, latest: LatestMessage(id: "e1", author: "bob", content: "hi")))
        app.accept(next)
        #expect(notifications(terminal).isEmpty, "not known as a conversation yet")
        next.channels[3].directWith = "bob"
        app.accept(next)
        #expect(notifications(terminal) == ["\u{1B}]777;notify;@bob;hi\u{1B}\\"])
    }

    @Test func aMentionElsewhereNotifiesNamingAuthorAndChannel() {
        let (app, terminal) = makeApp()
        var next = app.snapshot
        next.channels[1].unread = 2
        next.channels[1].mentions = 1
        next.channels[1].latest = LatestMessage(id: "r1", author: "bob", content: "@me look", mentionsMe: true)
        app.accept(next)
        #expect(notifications(terminal) == ["\u{1B}]777;notify;bob in #random;@me look\u{1B}\\"])
        // Unread without a mention is not for me.
        next.channels[1].unread = 3
        next.channels[1].latest = LatestMessage(id: "r2", author: "bob", content: "chatter")
        app.accept(next)
        #expect(notifications(terminal).count == 1)
    }

    @Test func theChannelOnScreenNotifiesOnlyWhileTheTerminalIsUnfocused() {
        let (app, terminal) = makeApp()
        var next = app.snapshot
        next.channels[0].latest = LatestMessage(id: "m2", author: "bob", content: "@me here?", mentionsMe: true)
        app.accept(next)
        #expect(notifications(terminal).isEmpty && terminal.bells == 0, "I am looking at it")
        app.handle(.focus(false))
        next.channels[0].latest = LatestMessage(id: "m3", author: "bob", content: "@me hello?", mentionsMe: true)
        app.accept(next)
        #expect(notifications(terminal) == ["\u{1B}]777;notify;bob in #general;@me hello?\u{1B}\\"])
        // My own message, or one that does not mention me, is no reason.
        next.channels[0].latest = LatestMessage(id: "m4", author: "me", content: "@me note to self", isMine: true, mentionsMe: true)
        app.accept(next)
        next.channels[0].latest = LatestMessage(id: "m5", author: "bob", content: "hm")
        app.accept(next)
        #expect(notifications(terminal).count == 1)
        app.handle(.focus(true))
        next.channels[0].latest = LatestMessage(id: "m6", author: "bob", content: "@me back?", mentionsMe: true)
        app.accept(next)
        #expect(notifications(terminal).count == 1)
    }

    @Test func historyLoadedForAChannelIsNotNews() {
        let (app, terminal) = makeApp()
        app.handle(.focus(false))
        var next = app.snapshot
        next.channels[2].latest = LatestMessage(id: "d0", author: "alice", content: "old")
        app.accept(next)
        #expect(notifications(terminal).isEmpty && terminal.bells == 0)
    }

    @Test func withoutNotificationsOnlyTheBellRings() {
        let (app, terminal) = makeApp(features: TerminalFeatures(notifications: nil, insideTmux: false, titleAndFocus: true))
        var next = app.snapshot
        next.channels[2].unread = 1
        app.accept(next)
        #expect(terminal.bells == 1 && notifications(terminal).isEmpty)
    }

    @Test func insideTmuxTheNotificationIsWrapped() {
        let (app, terminal) = makeApp(features: TerminalFeatures(notifications: .osc9, insideTmux: true, titleAndFocus: true))
        var next = app.snapshot
        next.channels[2].unread = 1
        app.accept(next)
        #expect(terminal.controlSequences.first { $0.hasPrefix("\u{1B}P") } == "\u{1B}Ptmux;\u{1B}\u{1B}]9;@alice: 1 new message\u{1B}\u{1B}\\\u{1B}\\")
    }

    @Test func theTitleCountsWhatWaitsAndIsRestoredAtExit() {
        let (app, terminal) = makeApp()
        app.stopper()
        app.run()
        #expect(terminal.controlSequences == [
            TerminalEscapes.saveTitle + TerminalEscapes.focusReporting(true), TerminalEscapes.windowTitle("pythia-chat"),
            TerminalEscapes.focusReporting(false) + TerminalEscapes.restoreTitle,
        ])
        var next = app.snapshot
        next.channels[1].mentions = 2
        next.channels[1].unread = 5
        next.channels[2].unread = 1
        app.accept(next)
        #expect(terminal.controlSequences.last == "\u{1B}]2;(3) pythia-chat\u{1B}\\")
        let count = terminal.controlSequences.count
        app.accept(next)
        #expect(terminal.controlSequences.count == count, "an unchanged title is not sent again")
    }

    @Test func aPlainTerminalGetsNoTitleOrFocusSequences() {
        let (app, terminal) = makeApp(features: .none)
        app.stopper()
        app.run()
        var next = app.snapshot
        next.channels[1].mentions = 1
        app.accept(next)
        #expect(terminal.controlSequences.isEmpty && terminal.bells == 1)
    }
}
