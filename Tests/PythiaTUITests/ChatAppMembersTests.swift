import Foundation
import Testing

@testable import PythiaTUI

/// The member pane (F2) and direct conversations (`/msg`) as the app drives them.
@Suite struct ChatAppMembersTests {
    private func makeApp(columns: Int) -> (ChatApp, InMemoryTerminal, RecordingBackend) {
        let terminal = InMemoryTerminal(size: TerminalSize(rows: 20, columns: columns))
        let backend = RecordingBackend()
        let snapshot = ChatSnapshot(
            me: "me", server: "localhost:8000", connection: .connected,
            channels: [
                ChannelSummary(id: "a", name: "general"),
                ChannelSummary(id: "d", name: "alice-me", isPrivate: true, directWith: "alice"),
            ],
            selectedChannelID: "a",
            members: [MemberSummary(name: "me", isOnline: true), MemberSummary(name: "alice", isOnline: true), MemberSummary(name: "bob", isOnline: false)],
            usernames: ["alice", "albert", "bob", "me"]
        )
        let app = ChatApp(
            terminal: terminal, backend: backend, theme: .fallback, themeLoader: ThemeLoader(userDirectory: nil, bundledDirectory: nil),
            options: ChatAppOptions(), initial: snapshot, wake: {}
        )
        return (app, terminal, backend)
    }

    private func type(_ text: String, into app: ChatApp) {
        for character in text { app.handle(.key(.char(character))) }
    }

    /// Waits (generously) for the serial intent queue to have run.
    private func waitFor(_ backend: RecordingBackend, count: Int) async {
        // Polls: the intents run on a task of their own.
        for _ in 0..<300 where backend.recorded.count < count { try? await Task.sleep(for: .milliseconds(10)) }
    }

    private func cell(of text: String, in terminal: InMemoryTerminal) -> (row: Int, column: Int)? {
        for (row, line) in terminal.grid.lines.enumerated() {
            if let range = line.range(of: text) { return (row, line.distance(from: line.startIndex, to: range.lowerBound)) }
        }
        return nil
    }

    @Test func f2TogglesThePaneAndAClickOnANamePutsItInTheLine() throws {
        let (app, terminal, _) = makeApp(columns: 120)
        app.render()
        #expect(cell(of: "Members", in: terminal) == nil)
        app.handle(.key(Key(.function(2))))
        app.render()
        #expect(cell(of: "Members 2/3", in: terminal) != nil)
        type("hi", into: app)
        let bob = try #require(cell(of: "bob", in: terminal))
        app.handle(.mouse(MouseEvent(.click, row: bob.row, column: bob.column)))
        #expect(app.editor.text == "hi @bob ")
        let alice = try #require(cell(of: "● alice", in: terminal))
        app.handle(.mouse(MouseEvent(.click, row: alice.row, column: alice.column)))
        #expect(app.editor.text == "hi @bob @alice ")
        app.handle(.key(Key(.function(2))))
        app.render()
        #expect(cell(of: "Members", in: terminal) == nil)
    }

    @Test func aNarrowTerminalHidesThePaneItselfUntilItWidens() {
        let (app, terminal, _) = makeApp(columns: 99)
        app.handle(.key(Key(.function(2))))
        app.render()
        #expect(cell(of: "Members", in: terminal) == nil)
        #expect(app.lastFrame?.regions?.messages.right == 99)
        terminal.resize(to: TerminalSize(rows: 20, columns: 100))
        for event in terminal.readEvents(timeout: .zero) { app.handle(event) }
        app.render()
        #expect(cell(of: "Members", in: terminal) != nil)
    }

    @Test func msgOpensTheConversationOrSwitchesToAnOpenOne() async {
        let (app, _, backend) = makeApp(columns: 100)
        type("/msg @Alice", into: app)
        app.handle(.key(Key(.enter)))
        #expect(app.snapshot.selectedChannelID == "d")
        type("/msg bob see you at 3", into: app)
        app.handle(.key(Key(.enter)))
        await waitFor(backend, count: 2)
        #expect(backend.recorded == ["select d", "openDirect bob see you at 3"])
    }

    @Test func aNewDirectMessageRingsTheBell() {
        let (app, terminal, _) = makeApp(columns: 100)
        var next = app.snapshot
        next.channels[0].unread = 3
        app.accept(next)
        #expect(terminal.bells == 0)
        next.channels[1].unread = 1
        app.accept(next)
        #expect(terminal.bells == 1)
        app.accept(next)
        #expect(terminal.bells == 1)
    }
}
