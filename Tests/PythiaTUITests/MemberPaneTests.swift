import Testing

@testable import PythiaTUI

@Suite struct MemberPaneTests {
    let theme = Theme.fallback

    @Test func onlineMembersComeFirstWithADot() {
        let members = MemberSummary.ordered([
            MemberSummary(name: "zoe", isOnline: true),
            MemberSummary(name: "bob", isOnline: false),
            MemberSummary(name: "Alice", isOnline: true),
            MemberSummary(name: "a-very-long-username-indeed", isOnline: false),
        ])
        var grid = CellGrid(size: TerminalSize(rows: 6, columns: 14))
        let rect = Rect(row: 0, column: 0, rows: 6, columns: 14)
        let pane = MemberPane(members: members)
        pane.render(into: &grid, in: rect, theme: theme)
        #expect(grid.lines == [
            "│ Members 2/4",
            "│ ● Alice",
            "│ ● zoe",
            "│   a-very-lo…",
            "│   bob",
            "│",
        ])
        #expect(grid[0, 0].style == theme.style(.separator))
        #expect(grid[1, 2].style.foreground == theme.style(.statusConnected).foreground)
        #expect(grid[1, 2].style.background == theme.style(.channelList).background)
        #expect(grid[1, 4].style == theme.style(.channelList))
        #expect(grid[4, 4].style.attributes.contains(.dim))
        #expect(pane.member(atRow: 2, in: rect)?.name == "zoe")
        #expect(pane.member(atRow: 0, in: rect) == nil)
        #expect(pane.member(atRow: 5, in: rect) == nil)
    }

    @Test func membersNotLoadedYetSayItInTheTitle() {
        var grid = CellGrid(size: TerminalSize(rows: 2, columns: 14))
        MemberPane(members: nil).render(into: &grid, in: Rect(row: 0, column: 0, rows: 2, columns: 14), theme: theme)
        #expect(grid.lines == ["│ Members …", "│"])
    }

    @Test func theScreenMakesRoomOnlyFromAHundredColumns() throws {
        let snapshot = ChatSnapshot(
            me: "dave", server: "s", connection: .connected, channels: [ChannelSummary(id: "g", name: "general")],
            selectedChannelID: "g", members: [MemberSummary(name: "dave", isOnline: true)]
        )
        let screen = ChatScreen(snapshot: snapshot, showsMembers: true)
        let wide = try #require(screen.regions(for: TerminalSize(rows: 20, columns: 100)))
        #expect(wide.members == Rect(row: 0, column: 80, rows: 18, columns: MemberPane.width))
        #expect(wide.messages.right == 80)
        #expect(wide.typing.right == 80)
        #expect(screen.regions(for: TerminalSize(rows: 20, columns: 99))?.members == nil)
        #expect(ChatScreen(snapshot: snapshot).regions(for: TerminalSize(rows: 20, columns: 120))?.members == nil)
    }

    @Test func directConversationsAreListedUnderTheirOwnHeading() {
        let channels = [
            ChannelSummary(id: "g", name: "general"),
            ChannelSummary(id: "o", name: "ops", isPrivate: true),
            ChannelSummary(id: "d1", name: "bob-dave", isPrivate: true, unread: 4, directWith: "bob"),
            ChannelSummary(id: "d2", name: "carol-dave", isPrivate: true, directWith: "carol"),
        ]
        var grid = CellGrid(size: TerminalSize(rows: 7, columns: 18))
        let rect = Rect(row: 0, column: 0, rows: 7, columns: 18)
        let list = ChannelList(channels: channels, selectedID: "d2")
        list.render(into: &grid, in: rect, theme: theme)
        #expect(grid.lines == [
            " Channels        │",
            " 1 #general      │",
            " 2 *ops          │",
            " Direct          │",
            " 3 @bob        4 │",
            " 4 @carol        │",
            "                 │",
        ])
        #expect(grid[3, 1].style == theme.style(.channelListTitle))
        #expect(grid[4, 3].style == theme.style(.channelUnread))
        #expect(grid[5, 3].style == theme.style(.channelSelected))
        #expect(list.channel(atRow: 3, in: rect) == nil)
        #expect(list.channel(atRow: 4, in: rect)?.id == "d1")
        #expect(list.channel(atRow: 5, in: rect)?.id == "d2")
    }

    @Test func theListScrollsToADirectConversationPastTheHeading() {
        let channels = [
            ChannelSummary(id: "g", name: "general"),
            ChannelSummary(id: "r", name: "random"),
            ChannelSummary(id: "d", name: "bob-dave", isPrivate: true, directWith: "bob"),
        ]
        var grid = CellGrid(size: TerminalSize(rows: 3, columns: 18))
        let rect = Rect(row: 0, column: 0, rows: 3, columns: 18)
        let list = ChannelList(channels: channels, selectedID: "d")
        list.render(into: &grid, in: rect, theme: theme)
        #expect(grid.lines == [" Channels        │", " Direct          │", " 3 @bob          │"])
        #expect(list.channel(atRow: 2, in: rect)?.id == "d")
    }
}
