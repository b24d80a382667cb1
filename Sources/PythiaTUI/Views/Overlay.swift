/// A box drawn over the message pane: the help (F1, /help), or the answer to /who or
/// /channels. PgUp/PgDn and the arrows scroll it; any other key closes it.
public struct Overlay: Hashable, Sendable {
    /// The title on the top border.
    public var title: String
    /// The lines inside.
    public var lines: [String]
    /// The first line shown.
    public var offset = 0
    /// Whether the key that closes it also does its usual job (for messages shown without
    /// being asked for, so typing is never lost); otherwise keys scroll or close it.
    public var passesKeysThrough = false

    /// Creates an overlay.
    public init(title: String, lines: [String], passesKeysThrough: Bool = false) {
        self.title = title
        self.lines = lines
        self.passesKeysThrough = passesKeysThrough
    }

    /// The help overlay: every key and command.
    public static var help: Overlay {
        var lines = ["Keys"]
        let keyWidth = Keymap.reference.map { DisplayWidth.of($0.keys) }.max() ?? 0
        for binding in Keymap.reference {
            lines.append("  " + binding.keys + String(repeating: " ", count: keyWidth - DisplayWidth.of(binding.keys)) + "  " + binding.summary)
        }
        lines.append("")
        lines.append("Commands")
        let usages = CommandParser.commands.map { "/\($0.name) \($0.arguments)" }
        let commandWidth = usages.map(\.count).max() ?? 0
        for (usage, command) in zip(usages, CommandParser.commands) {
            lines.append("  " + usage + String(repeating: " ", count: commandWidth - usage.count) + "  " + command.summary)
        }
        lines.append("")
        lines.append("In the channel list, * marks a private channel, @n mentions of you, n unread messages.")
        return Overlay(title: "pythia-chat help — PgUp/PgDn scroll, any other key closes", lines: lines)
    }

    /// Scrolls by a number of lines (negative: up), within the content.
    public mutating func scroll(by delta: Int, visibleRows: Int) {
        offset = max(0, min(offset + delta, lines.count - visibleRows))
    }

    /// Draws the box inside `rect` (with a one-cell margin when there is room).
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        let box = rect.columns > 20 && rect.rows > 6
            ? Rect(row: rect.row + 1, column: rect.column + 2, rows: rect.rows - 2, columns: rect.columns - 4) : rect
        let style = theme.style(.helpOverlay)
        for row in box.row..<box.bottom { grid.fill(row: row, column: box.column, count: box.columns, style: style) }
        guard box.rows > 1 else { return }
        grid.draw(DisplayWidth.truncate(" " + title, toColumns: box.columns), row: box.row, column: box.column, style: theme.style(.helpTitle), limit: box.right)
        for (index, line) in lines.dropFirst(offset).prefix(box.rows - 1).enumerated() {
            grid.draw(DisplayWidth.truncate(" " + line.replacingNewlines(), toColumns: box.columns), row: box.row + 1 + index, column: box.column, style: style, limit: box.right)
        }
    }
}
