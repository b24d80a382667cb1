import PythiaProtocol

/// The input line: the channel as prompt (`#general> `), then the text being typed,
/// wrapped over as many rows as it needs (up to a limit, scrolled to keep the cursor shown).
public struct InputLine: Sendable {
    /// The prompt.
    public var prompt: String
    /// The editor's text and cursor.
    public var editor: LineEditor

    /// Creates the line.
    public init(prompt: String, editor: LineEditor) {
        self.prompt = prompt
        self.editor = editor
    }

    /// The text laid out in rows of `width` columns, and the cursor's row and column.
    func rows(width: Int) -> (rows: [[Character]], cursorRow: Int, cursorColumn: Int) {
        let promptWidth = DisplayWidth.of(prompt)
        var rows: [[Character]] = [[]]
        var column = promptWidth
        var cursor = (row: 0, column: promptWidth)
        for (index, character) in editor.characters.enumerated() {
            if index == editor.cursor { cursor = (rows.count - 1, column) }
            if character == "\n" {
                rows.append([])
                column = promptWidth
                continue
            }
            let characterWidth = DisplayWidth.of(character)
            if column + characterWidth > width {
                rows.append([])
                column = promptWidth
                if index == editor.cursor { cursor = (rows.count - 1, column) }
            }
            rows[rows.count - 1].append(TerminalText.printable(character))
            column += characterWidth
        }
        if editor.cursor == editor.characters.count {
            if column >= width {
                rows.append([])
                column = promptWidth
            }
            cursor = (rows.count - 1, column)
        }
        return (rows, cursor.row, cursor.column)
    }

    /// How many rows the line wants at a width, at most `limit`.
    public func height(width: Int, limit: Int) -> Int {
        min(limit, max(1, rows(width: width).rows.count))
    }

    /// Draws the line and returns where the cursor goes.
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme) -> CursorPosition {
        let layout = rows(width: rect.columns)
        let first = max(0, min(layout.cursorRow - rect.rows + 1, layout.rows.count - rect.rows))
        for offset in 0..<rect.rows {
            let row = rect.row + offset
            grid.fill(row: row, column: rect.column, count: rect.columns, style: theme.style(.input))
            let index = first + offset
            guard index < layout.rows.count else { continue }
            let prefix = index == 0 ? prompt : String(repeating: " ", count: DisplayWidth.of(prompt))
            let after = grid.draw(prefix, row: row, column: rect.column, style: theme.style(.inputPrompt), limit: rect.right)
            grid.draw(String(layout.rows[index]), row: row, column: after, style: theme.style(.input), limit: rect.right)
        }
        return CursorPosition(row: rect.row + layout.cursorRow - first, column: rect.column + min(layout.cursorColumn, rect.columns - 1))
    }
}
