/// A character-cell terminal: the seam between the views and the screen.
///
/// `CursesTerminal` drives the real terminal through ncursesw; `InMemoryTerminal` keeps a
/// `CellGrid` so tests can read exactly what would be on screen. Every call happens on the
/// one thread that owns the terminal.
public protocol Terminal: AnyObject {
    /// The current size.
    var size: TerminalSize { get }
    /// How many colours the terminal shows: 256, 16, 8, or 0 for none.
    var colorCount: Int { get }
    /// Draws a run of cells of one row from `column`; the run never crosses the row's end.
    func write(_ cells: ArraySlice<Cell>, row: Int, column: Int)
    /// Places the visible cursor, or hides it (`nil`).
    func placeCursor(_ position: CursorPosition?)
    /// Makes everything written since the last flush visible.
    func flush()
    /// Forgets what the screen shows so the next frame repaints every cell (Ctrl-L).
    func invalidate()
    /// Rings the terminal bell.
    func bell()
    /// Writes a control sequence that draws nothing (a title, a notification; made by
    /// `TerminalEscapes`) straight to the terminal, between frames.
    func sendControl(_ sequence: String)
    /// Waits up to `timeout` for input and returns what arrived (possibly nothing).
    func readEvents(timeout: Duration) -> [InputEvent]
}

/// A cursor position on screen.
public struct CursorPosition: Hashable, Sendable {
    /// The row, from 0.
    public var row: Int
    /// The column, from 0.
    public var column: Int

    /// Creates a position.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}
