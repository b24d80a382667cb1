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
        let commandWidth = usages.map { DisplayWidth.of($0) }.max() ?? 0
        for (usage, command) in zip(usages, CommandParser.commands) {
            lines.append("  " + usage + String(repeating: " ", count: commandWidth - DisplayWidth.of(usage)) + "  " + command.summary)
        }
        lines.append("")
        lines.append("In the channel list, * marks a private channel, @n mentions of you, n unread messages.")
        return Overlay(title: "pythia-chat help — PgUp/PgDn scroll, any other key closes", lines: lines)
    }

    /// Scrolls by a number of lines (negative: up), within the content.
    public mutating func scroll(by delta: Int, visibleRows: Int) {
        offset = max(0, min(offset + delta, lines.count - visibleRows))
    }

    /// The box inside `rect` and where its lines go: with a margin and a border when there is
    /// room, else all of `rect` with the title on its first row and the lines indented below.
    private static func box(in rect: Rect) -> (frame: Rect, content: Rect, bordered: Bool) {
        guard rect.columns > 20, rect.rows > 6 else {
            return (rect, Rect(row: rect.row + 1, column: rect.column + 1, rows: max(0, rect.rows - 1), columns: max(0, rect.columns - 1)), false)
        }
        let frame = Rect(row: rect.row + 1, column: rect.column + 2, rows: rect.rows - 2, columns: rect.columns - 4)
        let content = Rect(row: frame.row + 1, column: frame.column + 2, rows: frame.rows - 2, columns: frame.columns - 4)
        return (frame, content, true)
    }

    /// How many lines of the content fit in `rect` (what PgUp/PgDn move by).
    public static func visibleLines(in rect: Rect) -> Int {
        max(1, box(in: rect).content.rows)
    }

    /// Where the lines go when the box is drawn over `rect`.
    static func contentRect(in rect: Rect) -> Rect {
        box(in: rect).content
    }

    /// How wide a line of the content may be in `rect` before it is cut.
    public static func lineWidth(in rect: Rect) -> Int {
        max(1, box(in: rect).content.columns)
    }

    /// Draws the box inside `rect`: a bordered panel with the title on its top edge, so it
    /// stands apart from the messages around it even without colours.
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        let (frame, content, bordered) = Self.box(in: rect)
        let style = theme.style(.helpOverlay)
        for row in frame.row..<frame.bottom { grid.fill(row: row, column: frame.column, count: frame.columns, style: style) }
        let titleStyle = theme.style(.helpTitle)
        if bordered {
            let inner = frame.columns - 2
            grid.draw("┌" + String(repeating: "─", count: inner) + "┐", row: frame.row, column: frame.column, style: style, limit: frame.right)
            grid.draw(DisplayWidth.truncate(" " + title + " ", toColumns: inner - 2), row: frame.row, column: frame.column + 2, style: titleStyle, limit: frame.right - 2)
            for row in (frame.row + 1)..<(frame.bottom - 1) {
                grid.draw("│", row: row, column: frame.column, style: style)
                grid.draw("│", row: row, column: frame.right - 1, style: style)
            }
            grid.draw("└" + String(repeating: "─", count: inner) + "┘", row: frame.bottom - 1, column: frame.column, style: style, limit: frame.right)
        } else {
            guard frame.rows > 1 else { return }
            grid.draw(DisplayWidth.truncate(" " + title, toColumns: frame.columns), row: frame.row, column: frame.column, style: titleStyle, limit: frame.right)
        }
        for (index, line) in lines.dropFirst(offset).prefix(content.rows).enumerated() {
            grid.draw(DisplayWidth.truncate(line.replacingNewlines(), toColumns: content.columns), row: content.row + index, column: content.column, style: style, limit: content.right)
        }
    }
}
