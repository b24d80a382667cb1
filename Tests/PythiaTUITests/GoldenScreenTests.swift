import Foundation
import Testing

@testable import PythiaTUI

/// Whole screens, compared cell by cell with the files in `Golden/`
/// (`PYTHIA_RECORD_GOLDEN=1 swift test --filter PythiaTUITests.GoldenScreenTests` re-records them).
@Suite struct GoldenScreenTests {
    static let utc = TimeZone(identifier: "UTC")!
    /// 2026-11-26 00:38 UTC.
    static let morning = Date(timeIntervalSince1970: 1_795_653_480)
    static let readmeSize = TerminalSize(rows: 15, columns: 100)
    static let graphemeLine = "zwj 👩‍👩‍👧‍👦 flag 🇯🇵 tone 👍🏽 keycap 1️⃣ accent e\u{301}!"

    /// The chat README.md's "Screen" section shows: dave in #general, with bob typing.
    static var readmeSnapshot: ChatSnapshot {
        let messages = MessageList([
            DisplayMessage(id: "1", author: "alice", content: "Morning all! The 2.3 release is out 🎉", createdAt: morning),
            DisplayMessage(
                id: "2",
                author: "bob",
                content: "Nice. 日本語のドキュメントも更新しました — the Japanese docs are updated too.",
                createdAt: morning,
                reactions: [.init(emoji: "👍", count: 2), .init(emoji: "🎉", count: 1)]
            ),
            DisplayMessage(
                id: "3",
                author: "erin",
                content: "@dave can you look at the flaky deploy job? it failed twice overnight, logs are in the usual place",
                createdAt: morning
            ),
            DisplayMessage(id: "4", author: "dave", isMine: true, content: "On it.", createdAt: morning),
        ])
        return ChatSnapshot(
            me: "dave",
            server: "127.0.0.1:18999",
            connection: .connected,
            channels: [
                ChannelSummary(id: "g", name: "general", description: "Company-wide announcements and chatter"),
                ChannelSummary(id: "o", name: "ops", isPrivate: true),
                ChannelSummary(id: "r", name: "random", unread: 3, mentions: 1),
            ],
            selectedChannelID: "g",
            messages: messages,
            typing: ["bob"]
        )
    }

    /// The grapheme line of issue 10 in a message, its reactions, the typing line and the input.
    static var graphemeScreen: ChatScreen {
        var snapshot = readmeSnapshot
        snapshot.messages = MessageList([
            DisplayMessage(
                id: "1",
                author: "erin",
                content: graphemeLine,
                createdAt: morning,
                reactions: [.init(emoji: "👍🏽", count: 1), .init(emoji: "🇯🇵", count: 2)]
            )
        ])
        return ChatScreen(snapshot: snapshot, editor: editor(graphemeLine), notice: .init(graphemeLine, isError: false))
    }

    static func editor(_ text: String) -> LineEditor {
        var editor = LineEditor()
        editor.insert(text)
        return editor
    }

    static func render(_ screen: ChatScreen, size: TerminalSize) -> ChatScreen.Frame {
        screen.render(size: size, theme: .fallback, layout: MessageLayout(timeZone: utc))
    }

    static var readmeFrame: ChatScreen.Frame {
        render(ChatScreen(snapshot: readmeSnapshot, editor: editor("looking at it now — 見てみます")), size: readmeSize)
    }

    @Test func theReadmeScreen() throws {
        try GoldenScreen.expect(Self.readmeFrame, matches: "readme")
    }

    @Test func theSmallestScreen() throws {
        let frame = Self.render(
            ChatScreen(snapshot: Self.readmeSnapshot, editor: Self.editor("looking at it now — 見てみます")),
            size: ChatScreen.minimumSize
        )
        try GoldenScreen.expect(frame, matches: "smallest-60x15")
    }

    @Test func noChannel() throws {
        let snapshot = ChatSnapshot(me: "dave", server: "127.0.0.1:18999", connection: .connected)
        try GoldenScreen.expect(Self.render(ChatScreen(snapshot: snapshot), size: TerminalSize(rows: 15, columns: 80)), matches: "no-channel")
    }

    @Test func anEmptyChannel() throws {
        let snapshot = ChatSnapshot(
            me: "dave",
            server: "127.0.0.1:18999",
            connection: .connected,
            channels: [ChannelSummary(id: "n", name: "new-project", description: "Just made")],
            selectedChannelID: "n"
        )
        try GoldenScreen.expect(Self.render(ChatScreen(snapshot: snapshot), size: TerminalSize(rows: 15, columns: 80)), matches: "empty-channel")
    }

    @Test func theHelpOverlay() throws {
        let screen = ChatScreen(snapshot: Self.readmeSnapshot, overlay: .help)
        try GoldenScreen.expect(Self.render(screen, size: TerminalSize(rows: 30, columns: 100)), matches: "help-overlay")
    }

    /// `/search deplo` with hits in two channels and a direct conversation, the second
    /// selected, matched words highlighted.
    @Test func theSearchOverlayWithHits() throws {
        func hit(_ id: String, _ channel: String, _ author: String, minutes: Double, _ content: String, _ highlights: [Range<Int>]) -> SearchOverlay.Hit {
            SearchOverlay.Hit(
                messageID: id, channelID: channel, channel: channel, author: author,
                createdAt: Self.morning.addingTimeInterval(minutes * 60), content: content, highlights: highlights)
        }
        var search = SearchOverlay(query: "deplo job", hits: [
            hit("1", "#general", "erin", minutes: 0, "@dave can you look at the flaky deploy job? it failed twice overnight", [32..<38, 39..<42]),
            hit("2", "#ops", "bob", minutes: -90, "Déploiement du job de nuit: 東京 region first 🇯🇵 then the deployment job for EU", [0..<11, 15..<18, 63..<73, 74..<77]),
            hit("3", "@alice", "alice", minutes: -600, "jobs board: deployment engineer wanted", [0..<4, 12..<22]),
        ], searchedLocally: false)
        search.move(by: 1, visibleRows: 10)
        let screen = ChatScreen(snapshot: Self.readmeSnapshot, search: search)
        try GoldenScreen.expect(Self.render(screen, size: TerminalSize(rows: 20, columns: 100)), matches: "search-overlay")
    }

    @Test func aFailedMessage() throws {
        var snapshot = Self.readmeSnapshot
        snapshot.connection = .offline
        snapshot.typing = []
        var failed = DisplayMessage(
            id: "c-5",
            author: "dave",
            isMine: true,
            content: "the deploy is fixed",
            createdAt: Self.morning.addingTimeInterval(120)
        )
        failed.delivery = .failed("offline")
        var pending = DisplayMessage(id: "c-6", author: "dave", isMine: true, content: "anyone?", createdAt: Self.morning.addingTimeInterval(180))
        pending.delivery = .pending
        snapshot.messages = MessageList(Array(snapshot.messages) + [failed, pending])
        try GoldenScreen.expect(Self.render(ChatScreen(snapshot: snapshot), size: TerminalSize(rows: 15, columns: 80)), matches: "failed-message")
    }

    /// The README screen with the member pane (F2) open: online members first.
    @Test func theMemberPane() throws {
        var snapshot = Self.readmeSnapshot
        snapshot.members = MemberSummary.ordered([
            MemberSummary(name: "alice", isOnline: true), MemberSummary(name: "bob", isOnline: true),
            MemberSummary(name: "carol", isOnline: false), MemberSummary(name: "dave", isOnline: true),
            MemberSummary(name: "erin", isOnline: false),
        ])
        let screen = ChatScreen(snapshot: snapshot, editor: Self.editor("@erin "), showsMembers: true)
        try GoldenScreen.expect(Self.render(screen, size: TerminalSize(rows: 15, columns: 110)), matches: "member-pane")
    }

    /// dave's direct conversation with bob, the channel list's "Direct" section below the channels.
    @Test func aDirectConversation() throws {
        var snapshot = Self.readmeSnapshot
        snapshot.channels += [
            ChannelSummary(id: "d-bob", name: "dm-bob-dave", isPrivate: true, directWith: "bob"),
            ChannelSummary(id: "d-erin", name: "dm-dave-erin", isPrivate: true, unread: 2, directWith: "erin"),
        ]
        snapshot.selectedChannelID = "d-bob"
        snapshot.typing = []
        snapshot.messages = MessageList([
            DisplayMessage(id: "1", author: "bob", content: "got a minute? the release notes need a second pair of eyes", createdAt: Self.morning),
            DisplayMessage(id: "2", author: "dave", isMine: true, content: "sure, send the link", createdAt: Self.morning.addingTimeInterval(60)),
        ])
        try GoldenScreen.expect(Self.render(ChatScreen(snapshot: snapshot), size: Self.readmeSize), matches: "direct-conversation")
    }

    /// The `── new ──` line above the first message since the channel was last read.
    @Test func theReadMarker() throws {
        var snapshot = Self.readmeSnapshot
        snapshot.typing = []
        snapshot.messages = MessageList(snapshot.messages.enumerated().map { index, message in
            var message = message
            message.isFirstUnread = index == 2
            return message
        })
        try GoldenScreen.expect(Self.render(ChatScreen(snapshot: snapshot), size: TerminalSize(rows: 15, columns: 80)), matches: "read-marker")
    }

    /// The grapheme line of issue 10 in a message, in the typing line and in the input line:
    /// every cell one ncurses can hold (as every golden screen checks), and the cursor after the last grapheme typed.
    @Test func theGraphemeLine() throws {
        let frame = Self.render(Self.graphemeScreen, size: ChatScreen.minimumSize)
        try GoldenScreen.expect(frame, matches: "grapheme-line")
    }

    /// README.md's screen block is this golden screen's text, so the two cannot drift; with
    /// `PYTHIA_RECORD_GOLDEN=1` the block is rewritten.
    @Test func theReadmeShowsTheReadmeScreen() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let heading = try #require(lines.firstIndex(of: "### Screen"), "README.md has no \"### Screen\" section")
        let opening = try #require(lines[heading...].firstIndex { $0.hasPrefix("```") }, "no fenced block under \"### Screen\"")
        let closing = try #require(lines[(opening + 1)...].firstIndex { $0.hasPrefix("```") }, "the screen block is not closed")
        var screen = GoldenScreen(Self.readmeFrame, theme: .fallback).rows
        while screen.last == "" { screen.removeLast() }
        if GoldenScreen.isRecording {
            lines.replaceSubrange((opening + 1)..<closing, with: screen)
            try lines.joined(separator: "\n").write(to: readme, atomically: true, encoding: .utf8)
            return
        }
        let block = Array(lines[(opening + 1)..<closing])
        #expect(
            block == screen,
            "README.md's screen block is not Golden/readme.txt: PYTHIA_RECORD_GOLDEN=1 swift test --filter PythiaTUITests.GoldenScreenTests rewrites it"
        )
    }
}
