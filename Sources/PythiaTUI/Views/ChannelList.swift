/// The left column: a title, then one row per channel with its number (for Alt-1…9), a
/// `#` (or `*` when private), the name, and a badge — `@n` mentions or `n` unread.
public struct ChannelList: Sendable {
    /// The channels, in order.
    public var channels: [ChannelSummary]
    /// The one shown in the message pane.
    public var selectedID: String?

    /// Creates the list view.
    public init(channels: [ChannelSummary], selectedID: String?) {
        self.channels = channels
        self.selectedID = selectedID
    }

    /// The index of the first channel drawn, scrolled so the selected one is visible.
    func firstVisible(rows: Int) -> Int {
        let capacity = max(1, rows - 1)
        guard let selected = channels.firstIndex(where: { $0.id == selectedID }), selected >= capacity else { return 0 }
        return selected - capacity + 1
    }

    /// Which channel a click on a screen row inside `rect` hits.
    public func channel(atRow row: Int, in rect: Rect) -> ChannelSummary? {
        let offset = row - rect.row - 1
        guard offset >= 0, offset < rect.rows - 1 else { return nil }
        let index = firstVisible(rows: rect.rows) + offset
        return channels.indices.contains(index) ? channels[index] : nil
    }

    /// Draws the list, with the separator in its last column.
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        guard rect.rows > 0, rect.columns > 2 else { return }
        let width = rect.columns - 1
        for row in rect.row..<rect.bottom {
            grid.fill(row: row, column: rect.column, count: width, style: theme.style(.channelList))
            grid.draw("│", row: row, column: rect.column + width, style: theme.style(.separator))
        }
        grid.draw(" Channels", row: rect.row, column: rect.column, style: theme.style(.channelListTitle), limit: rect.column + width)
        let first = firstVisible(rows: rect.rows)
        for (offset, channel) in channels.dropFirst(first).prefix(rect.rows - 1).enumerated() {
            let index = first + offset
            draw(channel, number: index + 1, into: &grid, row: rect.row + 1 + offset, column: rect.column, width: width, theme: theme)
        }
    }

    private func draw(_ channel: ChannelSummary, number: Int, into grid: inout CellGrid, row: Int, column: Int, width: Int, theme: Theme) {
        let selected = channel.id == selectedID
        let base: CellStyle
        if selected {
            base = theme.style(.channelSelected)
        } else if channel.mentions > 0 {
            base = theme.style(.channelMention)
        } else if channel.unread > 0 {
            base = theme.style(.channelUnread)
        } else {
            base = theme.style(.channelList)
        }
        grid.fill(row: row, column: column, count: width, style: base)
        let badge: String
        let badgeStyle: CellStyle
        if channel.mentions > 0 {
            badge = "@\(channel.mentions)"
            badgeStyle = selected ? base : theme.style(.channelMention)
        } else if channel.unread > 0 {
            badge = channel.unread > 999 ? "999+" : "\(channel.unread)"
            badgeStyle = selected ? base : theme.style(.channelUnread)
        } else {
            badge = ""
            badgeStyle = base
        }
        var text = StyledText(number <= 9 ? "\(number)" : " ", style: selected ? base : theme.style(.channelList).adding(.dim))
        text.append(" ", style: base)
        text.append(channel.isPrivate ? "*" : "#", style: selected || !channel.isPrivate ? base : theme.style(.channelPrivate))
        let nameRoom = width - 4 - (badge.isEmpty ? 0 : DisplayWidth.of(badge) + 1) - 1
        text.append(DisplayWidth.truncate(channel.name, toColumns: max(1, nameRoom)), style: base)
        text.draw(in: &grid, row: row, column: column + 1, limit: column + width)
        if !badge.isEmpty {
            grid.draw(badge, row: row, column: column + width - 1 - DisplayWidth.of(badge), style: badgeStyle, limit: column + width)
        }
    }
}
