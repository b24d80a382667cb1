/// Puts frames on a terminal by writing only the cells that differ from the last frame.
public struct Renderer: Sendable {
    private var shown: CellGrid?

    /// Creates a renderer that has shown nothing yet.
    public init() {}

    /// Forgets the last frame, so the next one is written in full.
    public mutating func invalidate() { shown = nil }

    /// Writes what changed between the last frame and `frame`, places the cursor, flushes.
    /// Returns how many cells were written.
    @discardableResult
    public mutating func present(_ frame: CellGrid, cursor: CursorPosition?, on terminal: any Terminal) -> Int {
        var written = 0
        let previous = shown?.size == frame.size ? shown : nil
        if previous == nil { terminal.invalidate() }
        for row in 0..<frame.size.rows {
            let cells = frame.row(row)
            guard var first = cells.indices.first else { continue }
            var last = cells.indices.last!
            if let old = previous?.row(row) {
                let offset = old.startIndex - cells.startIndex
                guard let firstChange = cells.indices.first(where: { cells[$0] != old[$0 + offset] }) else { continue }
                let lastChange = cells.indices.last(where: { cells[$0] != old[$0 + offset] })!
                first = firstChange
                last = lastChange
                // Never start on the right half of a wide grapheme, nor end on its left half.
                if cells[first].isContinuation, first > cells.startIndex { first -= 1 }
                if last + 1 < cells.endIndex, cells[last + 1].isContinuation { last += 1 }
            }
            terminal.write(cells[first...last], row: row, column: first - cells.startIndex)
            written += last - first + 1
        }
        terminal.placeCursor(cursor)
        terminal.flush()
        shown = frame
        return written
    }
}
