/// The right-hand column F2 shows: the selected channel's members, online first with a `●`.
public struct MemberPane: Sendable {
    /// The members in display order (``MemberSummary/ordered(_:)``); nil while loading.
    public var members: [MemberSummary]?

    /// The narrowest terminal that shows the pane: below it the messages need the room.
    public static let minimumTerminalColumns = 100
    /// The pane's width, its separator included.
    public static let width = 20

    /// Creates the pane.
    public init(members: [MemberSummary]?) {
        self.members = members
    }

    /// Which member a click on a screen row inside `rect` hits.
    public func member(atRow row: Int, in rect: Rect) -> MemberSummary? {
        let index = row - rect.row - 1
        guard let members, index >= 0, index < rect.rows - 1, members.indices.contains(index) else { return nil }
        return members[index]
    }

    /// Draws the pane, with the separator in its first column.
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        guard rect.rows > 0, rect.columns > 2 else { return }
        let column = rect.column + 1
        let width = rect.columns - 1
        let base = theme.style(.channelList)
        for row in rect.row..<rect.bottom {
            grid.draw("│", row: row, column: rect.column, style: theme.style(.separator))
            grid.fill(row: row, column: column, count: width, style: base)
        }
        let online = members?.filter(\.isOnline).count ?? 0
        let title = members.map { " Members \(online)/\($0.count)" } ?? " Members …"
        grid.draw(DisplayWidth.truncate(title, toColumns: width), row: rect.row, column: column, style: theme.style(.channelListTitle), limit: rect.right)
        // The dot takes the colour the status bar gives "connected", on the pane's background.
        let dot = CellStyle(foreground: theme.style(.statusConnected).foreground, background: base.background, attributes: .bold)
        for (offset, member) in (members ?? []).prefix(rect.rows - 1).enumerated() {
            var text = StyledText(member.isOnline ? " ● " : "   ", style: dot)
            text.append(DisplayWidth.truncate(member.name, toColumns: max(1, width - 3)), style: member.isOnline ? base : base.adding(.dim))
            text.draw(in: &grid, row: rect.row + 1 + offset, column: column, limit: rect.right)
        }
    }
}
