import Foundation
import Synchronization
import Testing

@testable import PythiaTUI

/// Records the intents the UI sends; the UI's own logic is what is under test here (the
/// real engine is exercised end to end in EndToEndTests).
final class RecordingBackend: ChatBackend {
    let calls = Mutex<[String]>([])
    let stream: AsyncStream<ChatSnapshot>
    let continuation: AsyncStream<ChatSnapshot>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream()
    }

    private func record(_ call: String) { calls.withLock { $0.append(call) } }
    var recorded: [String] { calls.withLock { $0 } }

    func snapshots() -> AsyncStream<ChatSnapshot> { stream }
    func select(channelID: String) async throws { record("select \(channelID)") }
    func clearReadMarker(channelID: String) async { record("clearReadMarker \(channelID)") }
    func send(_ text: String, channelID: String) async throws { record("send \(channelID) \(text)") }
    func composing(_ isComposing: Bool, channelID: String) async { record("composing \(isComposing)") }
    func loadOlder(channelID: String) async throws { record("loadOlder \(channelID)") }
    func join(channelNamed name: String) async throws { record("join \(name)") }
    func leave(channelID: String) async throws { record("leave \(channelID)") }
    func create(name: String, isPrivate: Bool, description: String) async throws { record("create \(name) \(isPrivate) \(description)") }
    func openDirect(with username: String, text: String?) async throws { record("openDirect \(username) \(text ?? "-")") }
    func invite(username: String, channelID: String) async throws { record("invite \(username)") }
    func react(emoji: String, messageID: String) async throws { record("react \(emoji) \(messageID)") }
    func edit(messageID: String, text: String) async throws { record("edit \(messageID) \(text)") }
    func delete(messageID: String) async throws { record("delete \(messageID)") }
    func retry(messageIDs: [String]) async { record("retry \(messageIDs.joined(separator: ","))") }
    func discard(messageIDs: [String]) async { record("discard \(messageIDs.joined(separator: ","))") }
    func onlineUsers(channelID: String) async throws -> [String] { ["bob", "alice"] }
    func publicChannels() async throws -> [(name: String, description: String, members: Int, joined: Bool)] { [("general", "Company", 3, true)] }
    func search(_ words: String) async throws -> (hits: [SearchOverlay.Hit], searchedLocally: Bool) {
        record("search \(words)")
        return (searchHits.withLock { $0 }, searchesLocally.withLock { $0 })
    }
    func show(messageID: String, channelID: String) async throws { record("show \(messageID) \(channelID)") }
    func reconnect() async { record("reconnect") }
    /// What ``search(_:)`` answers.
    let searchHits = Mutex<[SearchOverlay.Hit]>([])
    /// Whether ``search(_:)`` answers as a server without search would.
    let searchesLocally = Mutex(false)
}

@Suite struct ChatAppTests {
    let now = Date(timeIntervalSince1970: 1_795_701_780)

    private func makeApp(size: TerminalSize = TerminalSize(rows: 20, columns: 80)) -> (ChatApp, InMemoryTerminal, RecordingBackend) {
        let terminal = InMemoryTerminal(size: size)
        let backend = RecordingBackend()
        let messages = MessageList([
            DisplayMessage(id: "m1", author: "alice", content: "hello", createdAt: now),
            DisplayMessage(id: "m2", author: "me", isMine: true, content: "hi alice", createdAt: now),
            DisplayMessage(id: "m3", author: "alice", content: "ping @me", createdAt: now),
        ])
        let snapshot = ChatSnapshot(
            me: "me", server: "localhost:8000", connection: .connected,
            channels: [ChannelSummary(id: "a", name: "general"), ChannelSummary(id: "b", name: "random", unread: 2), ChannelSummary(id: "c", name: "ops", mentions: 1)],
            selectedChannelID: "a", messages: messages, usernames: ["alice", "albert", "me"]
        )
        let app = ChatApp(
            terminal: terminal, backend: backend, theme: .fallback, themeLoader: ThemeLoader(userDirectory: nil, bundledDirectory: ThemeLoader.locateBundledThemes()),
            options: ChatAppOptions(), initial: snapshot, wake: {}
        )
        return (app, terminal, backend)
    }

    private func type(_ text: String, into app: ChatApp) {
        for character in text { app.handle(.key(.char(character))) }
    }

    /// Waits (generously) for the serial intent queue to have run.
    private func waitFor(_ backend: RecordingBackend, count: Int) async {
        await waitFor(backend) { $0.count >= count }
    }

    private func waitFor(_ backend: RecordingBackend, until done: ([String]) -> Bool) async {
        // Polls: the intents run on a task of their own.
        for _ in 0..<300 where !done(backend.recorded) { try? await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func anInformationalNoticeMakesWayForTheTypingLineButAnErrorStays() {
        let (app, _, _) = makeApp()
        app.show(notice: "bob mentioned you in #ops", isError: false)
        app.expireNotice(at: .now + .seconds(1))
        #expect(app.notice != nil)
        app.expireNotice(at: .now + ChatApp.noticeLifetime + .seconds(1))
        #expect(app.notice == nil)
        app.show(notice: "unknown command /x", isError: true)
        app.expireNotice(at: .now + ChatApp.noticeLifetime + .seconds(1))
        #expect(app.notice?.text == "unknown command /x")
    }

    @Test func enterSendsInOrderAndSignalsTyping() async {
        let (app, _, backend) = makeApp()
        type("one", into: app)
        app.handle(.key(Key(.enter)))
        type("two", into: app)
        app.handle(.key(Key(.enter)))
        // Typing notices interleave with the sends: wait for the sends themselves.
        await waitFor(backend) { $0.filter { $0.hasPrefix("send") }.count >= 2 }
        let sends = backend.recorded.filter { $0.hasPrefix("send") }
        #expect(sends == ["send a one", "send a two"])
        #expect(backend.recorded.contains("composing true"))
        #expect(app.editor.isEmpty)
    }

    @Test func aBadCommandShowsAnErrorAndSendsNothing() async throws {
        let (app, terminal, backend) = makeApp()
        type("/frobnicate now", into: app)
        app.handle(.key(Key(.enter)))
        app.render()
        #expect(app.editor.text == "/frobnicate now")
        #expect(terminal.grid.lines.contains { $0.contains("unknown command /frobnicate") })
        // The intent queue is serial: once a later intent has run, a send would have too.
        app.handle(.key(.ctrl("n")))
        await waitFor(backend) { $0.contains("select b") }
        #expect(!backend.recorded.contains { $0.hasPrefix("send") })
    }

    @Test func channelNavigationKeysAndMouse() async {
        let (app, terminal, backend) = makeApp()
        app.handle(.key(.ctrl("n")))
        #expect(app.snapshot.selectedChannelID == "b")
        app.handle(.key(Key(.up, .alt)))
        #expect(app.snapshot.selectedChannelID == "a")
        app.handle(.key(.alt(.character("a"))))
        #expect(app.snapshot.selectedChannelID == "c")
        app.handle(.key(.alt(.character("2"))))
        #expect(app.snapshot.selectedChannelID == "b")
        app.render()
        let row = terminal.grid.lines.firstIndex { $0.contains("#general") }
        #expect(row != nil)
        app.handle(.mouse(MouseEvent(.click, row: row ?? 1, column: 3)))
        #expect(app.snapshot.selectedChannelID == "a")
        await waitFor(backend, count: 5)
        #expect(backend.recorded == ["select b", "select a", "select c", "select b", "select a"])
    }

    /// `/retry` and `/discard` act on every failed message of the channel shown, and on nothing else.
    @Test func retryAndDiscardActOnTheFailedMessages() async {
        let (app, terminal, backend) = makeApp()
        type("/ret", into: app)
        app.handle(.key(Key(.tab)))
        #expect(app.editor.text == "/retry ")
        app.handle(.key(Key(.enter)))
        app.render()
        #expect(terminal.grid.lines.contains { $0.contains("no failed message in #general") })
        var next = app.snapshot
        next.messages = MessageList(Array(next.messages) + [
            DisplayMessage(id: "c1", author: "me", isMine: true, content: "one", createdAt: now, delivery: .failed("channel is gone")),
            DisplayMessage(id: "c2", author: "me", isMine: true, content: "two", createdAt: now, delivery: .pending),
            DisplayMessage(id: "c3", author: "me", isMine: true, content: "three", createdAt: now, delivery: .failed("too long")),
        ])
        app.accept(next)
        app.render()
        #expect(terminal.grid.lines.contains { $0.contains("(not sent: too long — /retry or /discard)") })
        for line in ["/retry", "/discard"] {
            type(line, into: app)
            app.handle(.key(Key(.enter)))
        }
        await waitFor(backend, count: 2)
        #expect(backend.recorded == ["retry c1,c3", "discard c1,c3"])
        #expect(Overlay.help.lines.contains { $0.hasPrefix("  /retry") } && Overlay.help.lines.contains { $0.hasPrefix("  /discard") })
    }

    /// Esc at the bottom clears the read marker; scrolled up, it first goes to the bottom.
    @Test func escapeAtTheBottomClearsTheReadMarker() async {
        let (app, _, backend) = makeApp()
        app.handle(.key(Key(.escape)))
        var next = app.snapshot
        next.messages = MessageList(next.messages.enumerated().map { index, message in
            var message = message
            message.isFirstUnread = index == 1
            return message
        })
        app.accept(next)
        app.scrollOffset = 2
        app.handle(.key(Key(.escape)))
        #expect(app.scrollOffset == 0)
        app.handle(.key(Key(.end, .alt)))
        await waitFor(backend, count: 1)
        #expect(backend.recorded == ["clearReadMarker a"])
    }

    @Test func commandsActOnTheLastMessages() async {
        let (app, _, backend) = makeApp()
        for line in ["/react 🎉", "/edit better", "/delete", "/join #random", "/join #new", "/create ops2 --private On call", "/invite @alice", "/leave", "/reconnect"] {
            type(line, into: app)
            app.handle(.key(Key(.enter)))
        }
        await waitFor(backend, count: 9)
        #expect(backend.recorded == [
            "react 🎉 m3", "edit m2 better", "delete m2", "select b", "join new", "create ops2 true On call", "invite alice", "leave b", "reconnect",
        ])
    }

    @Test func whoAndChannelsOpenAnOverlayThatAnyKeyCloses() async {
        let (app, terminal, _) = makeApp()
        type("/who", into: app)
        app.handle(.key(Key(.enter)))
        for _ in 0..<300 {
            app.receive()
            if app.overlay != nil { break }
            // Polls: the answer comes from the intent queue's task.
            try? await Task.sleep(for: .milliseconds(10))
        }
        app.render()
        #expect(terminal.grid.lines.contains { $0.contains("Online in #general (2)") })
        #expect(terminal.grid.lines.contains { $0.contains(" alice") })
        app.handle(.key(.char("x")))
        #expect(app.overlay == nil)
        #expect(app.editor.isEmpty)
    }

    private func receiveSearch(_ app: ChatApp) async {
        for _ in 0..<300 {
            app.receive()
            if app.search != nil { break }
            // Polls: the answer comes from the intent queue's task.
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func hit(_ id: String, in channel: String, _ name: String, _ content: String, _ highlights: [Range<Int>]) -> SearchOverlay.Hit {
        SearchOverlay.Hit(messageID: id, channelID: channel, channel: name, author: "alice", createdAt: now, content: content, highlights: highlights)
    }

    @Test func slashSearchShowsHitsAndEnterJumpsToTheChosenOneMarked() async {
        let (app, terminal, backend) = makeApp()
        backend.searchHits.withLock { $0 = [hit("h1", in: "a", "#general", "deploy done", [0..<6]), hit("h2", in: "b", "#random", "the deployment", [4..<14])] }
        type("/search deplo", into: app)
        app.handle(.key(Key(.enter)))
        await receiveSearch(app)
        app.render()
        #expect(backend.recorded == ["search deplo"])
        #expect(terminal.grid.lines.contains { $0.contains("Search “deplo” — 2 hits") })
        #expect(terminal.grid.lines.contains { $0.contains("#random   alice  ") && $0.contains("the deployment") })
        app.handle(.key(Key(.down)))
        app.handle(.key(.char("x")))
        #expect(app.search?.selectedHit?.messageID == "h2", "other keys neither close the hits nor type")
        #expect(app.editor.isEmpty)
        app.handle(.key(Key(.enter)))
        #expect(app.search == nil)
        #expect(app.snapshot.selectedChannelID == "b")
        #expect(app.marked == MessagePane.Mark(messageID: "h2", channelID: "b"))
        await waitFor(backend, count: 2)
        #expect(backend.recorded == ["search deplo", "show h2 b"])
        var stale = app.snapshot
        stale.selectedChannelID = "a"
        app.accept(stale)
        #expect(app.marked != nil, "a snapshot made before the jump keeps the mark")
        app.handle(.key(.ctrl("n")))
        #expect(app.marked == nil, "choosing another channel drops it")
    }

    @Test func ctrlRSearchesTheTypedWordsAndEscClosesTheHits() async {
        let (app, terminal, backend) = makeApp()
        backend.searchesLocally.withLock { $0 = true }
        app.handle(.key(.ctrl("r")))
        #expect(app.editor.text == "/search ", "with nothing typed, Ctrl-R starts a /search")
        _ = app.editor.submit()
        type("hello", into: app)
        app.handle(.key(.ctrl("r")))
        #expect(app.editor.isEmpty)
        await receiveSearch(app)
        app.render()
        #expect(backend.recorded.contains("search hello"))
        #expect(terminal.grid.lines.contains { $0.contains("local history only") })
        #expect(terminal.grid.lines.contains { $0.contains("(no message matches every word)") })
        app.handle(.key(Key(.escape)))
        #expect(app.search == nil)
        #expect(!backend.recorded.contains { $0.hasPrefix("show") })
    }

    @Test func theMarkedMessageIsScrolledIntoViewOnceAndDrawnMarked() {
        let (app, terminal, _) = makeApp(size: TerminalSize(rows: 15, columns: 80))
        var many = (0..<40).map { DisplayMessage(id: "n\($0)", author: "alice", content: "line \($0)", createdAt: now) }
        many[5] = DisplayMessage(id: "target", author: "bob", content: "the one searched for", createdAt: now)
        app.snapshot.messages = MessageList(many)
        app.marked = MessagePane.Mark(messageID: "target", channelID: "a")
        app.render()
        let row = terminal.grid.lines.firstIndex { $0.contains("the one searched for") }
        #expect(row != nil, "scrolled up to the message: \(terminal.grid.lines)")
        #expect(app.marked?.reveal == false, "revealed once; scrolling is the user's again")
        #expect(app.scrollOffset > 0)
        if let row, let column = terminal.grid.lines[row].range(of: "searched").map({ terminal.grid.lines[row].distance(from: terminal.grid.lines[row].startIndex, to: $0.lowerBound) }) {
            #expect(terminal.grid[row, column].style == Theme.fallback.style(.searchSelected))
        }
        app.handle(.key(Key(.escape)))
        #expect(app.marked == nil && app.scrollOffset == 0)
    }

    @Test func ctrlCTwiceQuitsAndSlashQuitQuits() {
        let (app, _, _) = makeApp()
        app.handle(.key(.ctrl("c")))
        #expect(app.isRunning)
        app.handle(.key(.char("x")))
        app.handle(.key(.ctrl("c")))
        #expect(app.isRunning)
        app.handle(.key(.ctrl("c")))
        #expect(!app.isRunning)

        let (other, _, _) = makeApp()
        type("/quit", into: other)
        other.handle(.key(Key(.enter)))
        #expect(!other.isRunning)
    }

    @Test func newMentionsRingTheBellAndF1ShowsHelp() {
        let (app, terminal, _) = makeApp()
        var next = app.snapshot
        next.channels[2].mentions = 2
        app.accept(next)
        #expect(terminal.bells == 1)
        app.accept(next)
        #expect(terminal.bells == 1)
        app.handle(.key(Key(.function(1))))
        app.render()
        #expect(terminal.grid.lines.contains { $0.contains("pythia-chat help") })
        #expect(terminal.cursor == nil)
    }

    @Test func tabCompletesAndThemeSwitches() {
        let (app, terminal, _) = makeApp()
        type("@alb", into: app)
        app.handle(.key(Key(.tab)))
        #expect(app.editor.text == "@albert ")
        app.handle(.key(.ctrl("u")))
        type("/theme light", into: app)
        app.handle(.key(Key(.enter)))
        #expect(app.theme.name == "light")
        type("/theme nope", into: app)
        app.handle(.key(Key(.enter)))
        app.render()
        #expect(app.theme.name == "default")
        #expect(terminal.grid.lines.contains { $0.contains("no theme named 'nope'") })
    }

    @Test func resizeBelowTheMinimumShowsOneLineThenRecovers() {
        let (app, terminal, _) = makeApp()
        app.render()
        terminal.resize(to: TerminalSize(rows: 10, columns: 50))
        for event in terminal.readEvents(timeout: .zero) { app.handle(event) }
        app.render()
        #expect(terminal.grid.lines[0].hasPrefix("pythia-chat needs a terminal of at least 60×15"))
        terminal.resize(to: TerminalSize(rows: 20, columns: 80))
        for event in terminal.readEvents(timeout: .zero) { app.handle(event) }
        app.render()
        #expect(terminal.grid.lines.contains { $0.contains("ping @me") })
    }
}

@Suite struct LongNoticeTests {
    @Test func aNoticeTooLongForTheTypingLineOpensAnOverlayWithAllOfIt() {
        let terminal = InMemoryTerminal(size: TerminalSize(rows: 20, columns: 60))
        let snapshot = ChatSnapshot(me: "me", server: "h:1", connection: .connected, channels: [ChannelSummary(id: "a", name: "general")], selectedChannelID: "a")
        let app = ChatApp(
            terminal: terminal, backend: RecordingBackend(), theme: .fallback, themeLoader: ThemeLoader(userDirectory: nil, bundledDirectory: nil),
            options: ChatAppOptions(), initial: snapshot, wake: {})
        let text = "theme file /home/someone/.config/pythia-chat/themes/mine.yaml:12: key 'roles.timestamp.fg': 'mauve' is not a colour"
        app.show(notice: text, isError: true)
        app.render()
        let screen = terminal.grid.lines.joined(separator: " ").replacingOccurrences(of: "  ", with: " ")
        #expect(screen.contains("Error — any key closes"))
        #expect(screen.contains("'roles.timestamp.fg'"))
        #expect(screen.contains("mine.yaml:12"))
        #expect(!screen.contains("…"), "wrapped to the panel's width, not cut")
        app.handle(.key(.char("x")))
        #expect(app.overlay == nil)
        #expect(app.editor.text == "x")
    }
}
