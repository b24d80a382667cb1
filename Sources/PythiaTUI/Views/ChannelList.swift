/// The left column: a title, then one row per channel with its number (for Alt-1…9), a
/// `#` (or `*` when private), the name, and a badge — `@n` mentions or `n` unread; then,
/// under "Direct", the direct conversations as `@name`.
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

    /// One row below the title: a channel (by its index) or the "Direct" heading.
    enum Line: Equatable {
        case channel(Int)
        case directHeading
    }

    /// The rows below the title: the channels, then under a "Direct" heading the direct
    /// conversations (which the snapshot lists last).
    var lines: [Line] {
        var lines: [Line] = []
        for (index, channel) in channels.enumerated() {
            if channel.directWith != nil, !lines.contains(.directHeading) { lines.append(.directHeading) }
            lines.append(.channel(index))
        }
        return lines
    }

    /// The index of the first line drawn, scrolled so the selected channel is visible.
    func firstVisible(rows: Int, lines: [Line]) -> Int {
        let capacity = max(1, rows - 1)
        guard let index = channels.firstIndex(where: { $0.id == selectedID }),
            let selected = lines.firstIndex(of: .channel(index)), selected >= capacity
        else { return 0 }
        return selected - capacity + 1
    }

    /// Which channel a click on a screen row inside `rect` hits.
    public func channel(atRow row: Int, in rect: Rect) -> ChannelSummary? {
        let offset = row - rect.row - 1
        guard offset >= 0, offset < rect.rows - 1 else { return nil }
        let lines = self.lines
        let index = firstVisible(rows: rect.rows, lines: lines) + offset
        guard lines.indices.contains(index), case .channel(let channel) = lines[index] else { return nil }
        return channels[channel]
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
        let lines = self.lines
        let first = firstVisible(rows: rect.rows, lines: lines)
        for (offset, line) in lines.dropFirst(first).prefix(rect.rows - 1).enumerated() {
            let row = rect.row + 1 + offset
            switch line {
            case .channel(let index):
                draw(channels[index], number: index + 1, into: &grid, row: row, column: rect.column, width: width, theme: theme)
            case .directHeading:
                grid.draw(" Direct", row: row, column: rect.column, style: theme.style(.channelListTitle), limit: rect.column + width)
            }
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
        let sigil = channel.directWith == nil ? (channel.isPrivate ? "*" : "#") : "@"
        text.append(sigil, style: selected || !channel.isPrivate || channel.directWith != nil ? base : theme.style(.channelPrivate))
        let nameRoom = width - 4 - (badge.isEmpty ? 0 : DisplayWidth.of(badge) + 1) - 1
        text.append(DisplayWidth.truncate(channel.directWith ?? channel.name, toColumns: max(1, nameRoom)), style: base)
        text.draw(in: &grid, row: row, column: column + 1, limit: column + width)
        if !badge.isEmpty {
            grid.draw(badge, row: row, column: column + width - 1 - DisplayWidth.of(badge), style: badgeStyle, limit: column + width)
        }
    }
}
