import PythiaProtocol

/// A rectangle of cells: the frame views draw into, and the in-memory screen tests read.
///
/// Drawing clips to the grid, lays text out by display width (a wide grapheme takes two
/// cells, the second marked as a continuation) and stores in each cell only what ncurses can
/// hold in one (`DisplayWidth.forEachCell`), never a control character.
public struct CellGrid: Hashable, Sendable {
    /// The grid's size.
    public private(set) var size: TerminalSize
    private var cells: [Cell]

    /// Creates a grid of blank cells.
    public init(size: TerminalSize) {
        self.size = size
        self.cells = Array(repeating: .blank, count: size.rows * size.columns)
    }

    /// The cell at a position; out-of-range positions read as blank.
    public subscript(row: Int, column: Int) -> Cell {
        get {
            guard contains(row: row, column: column) else { return .blank }
            return cells[row * size.columns + column]
        }
        set {
            guard contains(row: row, column: column) else { return }
            cells[row * size.columns + column] = newValue
        }
    }

    /// One row's cells.
    public func row(_ row: Int) -> ArraySlice<Cell> {
        guard row >= 0, row < size.rows else { return [] }
        return cells[(row * size.columns)..<((row + 1) * size.columns)]
    }

    /// What a row shows, as text (continuation cells skipped); trailing blanks kept.
    public func text(ofRow row: Int) -> String {
        String(self.row(row).filter { !$0.isContinuation }.map(\.grapheme))
    }

    /// Every row's text, trailing blanks trimmed: handy in tests and for screen dumps.
    public var lines: [String] {
        (0..<size.rows).map { row in
            var line = text(ofRow: row)
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// Whether a position is inside the grid.
    public func contains(row: Int, column: Int) -> Bool {
        row >= 0 && row < size.rows && column >= 0 && column < size.columns
    }

    /// Paints `count` cells of a row from `column` with blanks in `style`.
    public mutating func fill(row: Int, column: Int, count: Int, style: CellStyle) {
        guard count > 0 else { return }
        for col in max(0, column)..<min(size.columns, column + count) {
            self[row, col] = Cell(" ", style: style)
        }
    }

    /// Draws text from a position, stopping before `limit` (exclusive; the grid's right edge
    /// by default). A wide grapheme that would straddle the limit is replaced by a blank.
    /// Returns the column after the last cell written.
    @discardableResult
    public mutating func draw(_ text: some StringProtocol, row: Int, column: Int, style: CellStyle, limit: Int? = nil) -> Int {
        let end = min(limit ?? size.columns, size.columns)
        var col = column
        for grapheme in text {
            if grapheme.isASCII {
                guard col < end else { return end }
                draw(grapheme: TerminalText.printable(grapheme), width: 1, row: row, column: col, style: style)
                col += 1
                continue
            }
            let width = DisplayWidth.of(grapheme)
            if width == 0 { continue }
            if col + width > end {
                fill(row: row, column: col, count: end - col, style: style)
                return end
            }
            DisplayWidth.forEachCell(of: grapheme) { cell, cellWidth in
                draw(grapheme: cell, width: cellWidth, row: row, column: col, style: style)
                col += cellWidth
            }
        }
        return col
    }

    /// Writes one printable grapheme of a known width, clearing any wide grapheme it overlaps.
    mutating func draw(grapheme: Character, width: Int, row: Int, column: Int, style: CellStyle) {
        guard contains(row: row, column: column) else { return }
        if self[row, column].isContinuation { self[row, column - 1] = Cell(" ", style: self[row, column - 1].style) }
        if width == 2, column + 1 >= size.columns {
            self[row, column] = Cell(" ", style: style)
            return
        }
        let after = column + width
        if after < size.columns, self[row, after].isContinuation { self[row, after] = Cell(" ", style: self[row, after].style) }
        self[row, column] = Cell(grapheme, style: style)
        if width == 2 { self[row, column + 1] = Cell(" ", style: style, isContinuation: true) }
    }
}
