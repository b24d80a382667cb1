import Foundation
import PythiaClient
import Testing

@testable import PythiaTUI

@Suite struct ViewTests {
    let theme = Theme.fallback
    let utc = TimeZone(identifier: "UTC")!
    /// 2026-11-26 14:03 UTC.
    let noon = Date(timeIntervalSince1970: 1_795_701_780)

    private func message(_ id: String, _ author: String, _ text: String, minutes: Double = 0, mine: Bool = false) -> DisplayMessage {
        DisplayMessage(id: id, author: author, isMine: mine, content: text, createdAt: noon.addingTimeInterval(minutes * 60))
    }

    @Test func messagesShowDaySeparatorTimeNameAndWrapByDisplayWidth() {
        var grid = CellGrid(size: TerminalSize(rows: 6, columns: 30))
        let messages = MessageList([
            message("1", "alice", "hello there"),
            message("2", "bob", "日本語のテキストはここで折り返す", minutes: 2),
        ])
        let scroll = MessagePane(messages: messages, me: "carol", scrollOffset: 0)
            .render(into: &grid, in: Rect(row: 0, column: 0, rows: 6, columns: 30), theme: theme, layout: MessageLayout(timeZone: utc))
        #expect(grid.lines == [
            "",
            "",
            "── Thursday 26 November 2026 ─",
            "14:03 alice hello there",
            "14:05 bob 日本語のテキストはこ",
            "      こで折り返す",
        ])
        #expect(scroll.atTop)
        // Roles → colours: timestamp, per-user name colour, text.
        #expect(grid[3, 0].style == theme.style(.timestamp))
        #expect(grid[3, 6].style.foreground == theme.color(forUser: "alice"))
        #expect(grid[3, 6].style.attributes.contains(.bold))
        #expect(grid[3, 12].style == theme.style(.messageText))
        #expect(grid[4, 11].isContinuation)
    }

    @Test func ownMessagesMentionsReactionsAndMarkers() {
        var grid = CellGrid(size: TerminalSize(rows: 5, columns: 60))
        var edited = message("1", "alice", "ping @Carol now")
        edited.isEdited = true
        edited.reactions = [.init(emoji: "👍", count: 2), .init(emoji: "🎉", count: 1, mine: true)]
        var pending = message("2", "carol", "on it", minutes: 1, mine: true)
        pending.delivery = .pending
        var failed = message("3", "carol", "lost", minutes: 1, mine: true)
        failed.delivery = .failed("offline")
        MessagePane(messages: MessageList([edited, pending, failed]), me: "carol", scrollOffset: 0)
            .render(into: &grid, in: Rect(row: 0, column: 0, rows: 5, columns: 60), theme: theme, layout: MessageLayout(timeZone: utc))
        #expect(grid.lines == [
            "── Thursday 26 November 2026 ───────────────────────────────",
            "14:03 alice ping @Carol now (edited)",
            "      👍 2  🎉 1",
            "14:04 carol on it (sending…)",
            "14:04 carol lost (not sent: offline — /retry or /discard)",
        ])
        #expect(grid[1, 17].style == theme.style(.mention))
        #expect(grid[1, 22].style == theme.style(.mention))
        #expect(grid[1, 23].style == theme.style(.messageText))
        #expect(grid[1, 28].style == theme.style(.editedMarker))
        #expect(grid[2, 6].style == theme.style(.reactions))
        #expect(grid[2, 12].style.attributes.contains(.bold))
        #expect(!grid[2, 6].style.attributes.contains(.bold))
        #expect(grid[3, 6].style == theme.style(.ownName))
        #expect(grid[3, 12].style == theme.style(.ownMessage))
        #expect(grid[3, 18].style == theme.style(.pendingMarker))
        #expect(grid[4, 17].style == theme.style(.failedMarker))
    }

    /// A mention is found by scalars; one ending inside a grapheme keeps the whole grapheme,
    /// so a combining accent stays on its letter instead of starting a run of its own and
    /// disappearing.
    @Test func aMentionEndingInsideAGraphemeKeepsItWhole() {
        var grid = CellGrid(size: TerminalSize(rows: 2, columns: 30))
        MessagePane(messages: MessageList([message("1", "alice", "hi @carol\u{301}!")]), me: "carol", scrollOffset: 0)
            .render(into: &grid, in: Rect(row: 0, column: 0, rows: 2, columns: 30), theme: theme, layout: MessageLayout(timeZone: utc))
        #expect(grid.lines[1] == "14:03 alice hi @carol\u{301}!")
        #expect(grid[1, 20].grapheme == "l\u{301}")
        #expect(grid[1, 20].style == theme.style(.mention))
        #expect(grid[1, 21].style == theme.style(.messageText))
    }

    @Test func scrollingShowsOlderRowsAndReportsTheTop() {
        let layout = MessageLayout(timeZone: utc)
        let messages = MessageList((0..<10).map { message("\($0)", "alice", "line \($0)", minutes: Double($0)) })
        var grid = CellGrid(size: TerminalSize(rows: 3, columns: 30))
        let rect = Rect(row: 0, column: 0, rows: 3, columns: 30)
        var scroll = MessagePane(messages: messages, me: "me", scrollOffset: 0).render(into: &grid, in: rect, theme: theme, layout: layout)
        #expect(grid.lines.last == "14:12 alice line 9")
        #expect(!scroll.atTop)
        scroll = MessagePane(messages: messages, me: "me", scrollOffset: 3).render(into: &grid, in: rect, theme: theme, layout: layout)
        #expect(grid.lines == ["14:07 alice line 4", "14:08 alice line 5", "14:09 alice line 6"])
        scroll = MessagePane(messages: messages, me: "me", scrollOffset: 100).render(into: &grid, in: rect, theme: theme, layout: layout)
        #expect(scroll.atTop)
        #expect(scroll.offset == 8)
        #expect(grid.lines.first == "── Thursday 26 November 2026 ─")
    }

    @Test func aHugeChannelLaysOutOnlyWhatIsVisible() {
        let layout = MessageLayout(timeZone: utc)
        let reads = Counter()
        let messages = MessageList(count: 100_000) { index in
            reads.increment()
            return DisplayMessage(id: "\(index)", author: "bob", content: "message \(index)", createdAt: Date(timeIntervalSince1970: 1_795_701_780 + Double(index)))
        }
        var grid = CellGrid(size: TerminalSize(rows: 20, columns: 50))
        MessagePane(messages: messages, me: "me", scrollOffset: 0)
            .render(into: &grid, in: Rect(row: 0, column: 0, rows: 20, columns: 50), theme: theme, layout: layout)
        #expect(grid.lines.last?.hasSuffix("message 99999") == true)
        #expect(reads.value < 100)
        #expect(layout.cachedCount < 50)
    }

    @Test func channelListMarksSelectionUnreadMentionsAndPrivate() {
        var grid = CellGrid(size: TerminalSize(rows: 5, columns: 18))
        let channels = [
            ChannelSummary(id: "a", name: "general"),
            ChannelSummary(id: "b", name: "random", unread: 12),
            ChannelSummary(id: "c", name: "ops-incidents-and-more", isPrivate: true, unread: 3, mentions: 2),
        ]
        ChannelList(channels: channels, selectedID: "a").render(into: &grid, in: Rect(row: 0, column: 0, rows: 5, columns: 18), theme: theme)
        #expect(grid.lines == [
            " Channels        │",
            " 1 #general      │",
            " 2 #random    12 │",
            " 3 *ops-inci… @2 │",
            "                 │",
        ])
        #expect(grid[1, 4].style == theme.style(.channelSelected))
        #expect(grid[2, 4].style == theme.style(.channelUnread))
        #expect(grid[3, 3].style == theme.style(.channelPrivate))
        #expect(grid[3, 4].style == theme.style(.channelMention))
        #expect(grid[3, 14].style == theme.style(.channelMention))
        #expect(grid[0, 17].style == theme.style(.separator))
        let list = ChannelList(channels: channels, selectedID: "a")
        #expect(list.channel(atRow: 2, in: Rect(row: 0, column: 0, rows: 5, columns: 18))?.id == "b")
        #expect(list.channel(atRow: 0, in: Rect(row: 0, column: 0, rows: 5, columns: 18)) == nil)
    }

    @Test func typingLineWording() {
        #expect(TypingLine.words(for: ["alice"]) == "alice is typing…")
        #expect(TypingLine.words(for: ["alice", "bob"]) == "alice and bob are typing…")
        #expect(TypingLine.words(for: ["alice", "bob", "carol"]) == "several people are typing…")
        var grid = CellGrid(size: TerminalSize(rows: 1, columns: 20))
        TypingLine(typing: ["alice"], notice: .init("unknown command /x", isError: true)).render(into: &grid, in: Rect(row: 0, column: 0, rows: 1, columns: 20), theme: theme)
        #expect(grid.lines == [" unknown command /x"])
        #expect(grid[0, 1].style == theme.style(.error))
    }

    @Test(arguments: [
        (ConnectionStatus.connected, "connected"),
        (.reconnecting(inSeconds: 4, attempt: 3), "reconnecting in 4s (attempt 3)"),
        (.offline, "offline"),
        (.tokenRejected, "token rejected — run pythia-chat login"),
    ])
    func statusBarWordsTheConnection(status: ConnectionStatus, words: String) {
        var grid = CellGrid(size: TerminalSize(rows: 1, columns: 80))
        StatusBar(me: "carol", server: "localhost:8000", leftWidth: 26, channel: ChannelSummary(id: "a", name: "general", description: "Company-wide"), connection: status)
            .render(into: &grid, in: Rect(row: 0, column: 0, rows: 1, columns: 80), theme: theme)
        let line = grid.text(ofRow: 0)
        #expect(line.hasPrefix(" carol@localhost:8000    │ #general — "))
        #expect(line.hasSuffix(" \(words) "))
        #expect(grid[0, 79 - words.count].style == theme.style(status.role))
        #expect(grid[0, 1].style == theme.style(.statusBar))
    }

    @Test func withSeveralServersTheStatusBarNamesTheOneInUseAfterTheState() {
        var grid = CellGrid(size: TerminalSize(rows: 1, columns: 80))
        StatusBar(
            me: "carol", server: "a:8000,b:8001", leftWidth: 26, channel: ChannelSummary(id: "a", name: "general"),
            connection: .connected, serverInUse: "b:8001")
            .render(into: &grid, in: Rect(row: 0, column: 0, rows: 1, columns: 80), theme: theme)
        let line = grid.text(ofRow: 0)
        #expect(line.hasPrefix(" carol@a:8000,b:8001     │ #general"))
        #expect(line.hasSuffix(" connected · b:8001 "))
        #expect(grid[0, 79 - "connected · b:8001".count].style == theme.style(.statusConnected))
    }

    @Test func theSnapshotNamesTheServerInUseOnlyWhenTheEngineHasSeveral() throws {
        var state = ChatState()
        state.connection = .connected
        #expect(ChatSnapshot(state: state, server: "a:8000", now: Date()).serverInUse == nil)
        state.serverInUse = try ServerEndpoint("http://b:8001")
        #expect(ChatSnapshot(state: state, server: "a:8000,b:8001", now: Date()).serverInUse == "b:8001")
    }

    @Test func inputLineWrapsAndPlacesTheCursor() {
        var editor = LineEditor()
        editor.insert("abcdefghij日本")
        var grid = CellGrid(size: TerminalSize(rows: 2, columns: 12))
        let line = InputLine(prompt: "#dev> ", editor: editor)
        #expect(line.height(width: 12, limit: 5) == 3)
        let cursor = line.render(into: &grid, in: Rect(row: 0, column: 0, rows: 2, columns: 12), theme: theme)
        #expect(grid.lines == ["      ghij日", "      本"])
        #expect(cursor == CursorPosition(row: 1, column: 8))
        #expect(grid[1, 6].style == theme.style(.input))
    }

    @Test func theWholeScreenAndTheTooSmallLine() {
        let snapshot = ChatSnapshot(
            me: "carol", server: "127.0.0.1:8000", connection: .connected,
            channels: [ChannelSummary(id: "a", name: "general")], selectedChannelID: "a",
            messages: MessageList([message("1", "alice", "hi")]), typing: ["alice"]
        )
        let screen = ChatScreen(snapshot: snapshot)
        let frame = screen.render(size: TerminalSize(rows: 15, columns: 60), theme: theme, layout: MessageLayout(timeZone: utc))
        #expect(frame.grid.lines[12].hasPrefix("               │ alice is typing…"))
        // The status bar's left cell is as wide as the channel list, so the two `│` line up.
        #expect(frame.grid.lines[13].hasPrefix(" carol@127.0.… │ #general"))
        let borderColumn = { (line: String) in line.firstIndex(of: "│").map { DisplayWidth.of(String(line[..<$0])) } }
        #expect(borderColumn(frame.grid.lines[0]) == 15 && borderColumn(frame.grid.lines[13]) == 15)
        // The input line is the bottom row.
        #expect(frame.grid.lines[14] == "#general>")
        #expect(frame.cursor == CursorPosition(row: 14, column: 10))
        #expect(frame.grid.lines[11].contains("14:03 alice hi"))

        let small = screen.render(size: TerminalSize(rows: 14, columns: 80), theme: theme, layout: MessageLayout(timeZone: utc))
        #expect(small.grid.lines[0] == "pythia-chat needs a terminal of at least 60×15 — this one is 80×14")
        #expect(small.grid.lines.dropFirst().allSatisfy { $0.isEmpty })
        #expect(small.regions == nil)

        // Narrower than the sentence: it wraps rather than being cut.
        let narrow = screen.render(size: TerminalSize(rows: 6, columns: 30), theme: theme, layout: MessageLayout(timeZone: utc))
        #expect(narrow.grid.lines.prefix(3).joined(separator: " ").split(separator: " ").joined(separator: " ")
            == "pythia-chat needs a terminal of at least 60×15 — this one is 30×6")
    }

    @Test func aShortNameLeavesTheStatusBarsLeftCellPaddedToTheList() {
        var grid = CellGrid(size: TerminalSize(rows: 1, columns: 80))
        StatusBar(me: "al", server: "h:1", leftWidth: 16, channel: ChannelSummary(id: "a", name: "general"), connection: .connected)
            .render(into: &grid, in: Rect(row: 0, column: 0, rows: 1, columns: 80), theme: theme)
        #expect(grid.text(ofRow: 0).hasPrefix(" al@h:1        │ #general"))
    }

    @Test func withoutAChannelThePaneSaysHowToStartAndAnEmptyChannelSaysItIsEmpty() {
        let none = ChatScreen(snapshot: ChatSnapshot(me: "carol", server: "h:1", connection: .connected))
            .render(size: TerminalSize(rows: 15, columns: 80), theme: theme, layout: MessageLayout(timeZone: utc))
        let hint = none.grid.lines.joined(separator: "\n")
        #expect(hint.contains("/create NAME") && hint.contains("/channels") && hint.contains("F1"))

        let empty = ChatScreen(snapshot: ChatSnapshot(
            me: "carol", server: "h:1", connection: .connected,
            channels: [ChannelSummary(id: "a", name: "lounge")], selectedChannelID: "a"
        )).render(size: TerminalSize(rows: 15, columns: 80), theme: theme, layout: MessageLayout(timeZone: utc))
        #expect(empty.grid.lines.contains { $0.contains("#lounge has no messages yet") })

        var loading = ChatSnapshot(
            me: "carol", server: "h:1", connection: .connected,
            channels: [ChannelSummary(id: "a", name: "lounge")], selectedChannelID: "a")
        loading.hasOlderMessages = true
        let frame = ChatScreen(snapshot: loading).render(size: TerminalSize(rows: 15, columns: 80), theme: theme, layout: MessageLayout(timeZone: utc))
        #expect(!frame.grid.lines.contains { $0.contains("no messages yet") })
    }

    @Test func anOverlayIsABorderedPanelWithItsTitleOnTheTopEdge() {
        var grid = CellGrid(size: TerminalSize(rows: 10, columns: 30))
        for row in 0..<10 { grid.draw(String(repeating: "x", count: 30), row: row, column: 0, style: CellStyle()) }
        var overlay = Overlay(title: "Online", lines: ["alice", "bob", "carol", "dave", "erin"])
        let rect = Rect(row: 0, column: 0, rows: 10, columns: 30)
        overlay.render(into: &grid, in: rect, theme: .fallback)
        #expect(grid.lines == [
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "xx┌─ Online ───────────────┐xx",
            "xx│ alice                  │xx",
            "xx│ bob                    │xx",
            "xx│ carol                  │xx",
            "xx│ dave                   │xx",
            "xx│ erin                   │xx",
            "xx│                        │xx",
            "xx└────────────────────────┘xx",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ])
        #expect(Overlay.visibleLines(in: rect) == 6)
        #expect(Overlay.lineWidth(in: rect) == 22)
        overlay.scroll(by: 3, visibleRows: 2)
        overlay.render(into: &grid, in: rect, theme: .fallback)
        #expect(grid.lines[2] == "xx│ dave                   │xx")
    }

    @Test func helpOverlayListsEveryCommandAndKey() {
        let help = Overlay.help
        for command in CommandParser.commands { #expect(help.lines.contains { $0.contains("/\(command.name)") }) }
        for binding in Keymap.reference { #expect(help.lines.contains { $0.contains(binding.keys) }) }
    }
}

/// Counts reads from the message list's closure.
final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func increment() { value += 1 }
}

@Suite struct MessagePaneScrollTests {
    @Test func theTopOfALongChannelIsContiguous() {
        let start = Date(timeIntervalSince1970: 1_795_701_780)
        let messages = MessageList((1...64).map { DisplayMessage(id: "\($0)", author: "bob", content: "backlog message \($0)", createdAt: start.addingTimeInterval(Double($0) / 10)) })
        var grid = CellGrid(size: TerminalSize(rows: 26, columns: 81))
        let layout = MessageLayout(timeZone: TimeZone(identifier: "UTC")!)
        var offset = 0
        for _ in 0..<5 {
            offset += 24
            let scroll = MessagePane(messages: messages, me: "dave", scrollOffset: offset).render(into: &grid, in: Rect(row: 0, column: 0, rows: 26, columns: 81), theme: .fallback, layout: layout)
            offset = scroll.offset
        }
        let numbers: [String] = grid.lines.dropFirst().map { line in String(line.split(separator: " ").last ?? "") }
        let expected: [String] = (1...25).map { String($0) }
        #expect(numbers == expected)
    }
}
