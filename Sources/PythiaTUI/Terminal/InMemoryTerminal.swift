/// A terminal that exists only in memory: what the views would show, cell by cell.
/// Tests feed it input events and read its grid.
public final class InMemoryTerminal: Terminal {
    /// What the screen shows.
    public private(set) var grid: CellGrid
    /// Where the cursor is, if shown.
    public private(set) var cursor: CursorPosition?
    /// How many times the bell rang.
    public private(set) var bells = 0
    /// The control sequences sent, in order.
    public private(set) var controlSequences: [String] = []
    /// How many cells have been written since creation.
    public private(set) var cellsWritten = 0
    /// Input still to be delivered by `readEvents`.
    public var pendingInput: [InputEvent] = []
    public let colorCount: Int

    /// Creates a blank screen of a size.
    public init(size: TerminalSize, colorCount: Int = 256) {
        self.grid = CellGrid(size: size)
        self.colorCount = colorCount
    }

    public var size: TerminalSize { grid.size }

    /// Changes the size (contents are cleared) and queues the resize event a real terminal sends.
    public func resize(to size: TerminalSize) {
        grid = CellGrid(size: size)
        pendingInput.append(.resize(size))
    }

    public func write(_ cells: ArraySlice<Cell>, row: Int, column: Int) {
        for (offset, cell) in cells.enumerated() { grid[row, column + offset] = cell }
        cellsWritten += cells.count
    }

    public func placeCursor(_ position: CursorPosition?) { cursor = position }
    public func flush() {}
    public func invalidate() { grid = CellGrid(size: grid.size) }
    public func bell() { bells += 1 }
    public func sendControl(_ sequence: String) { controlSequences.append(sequence) }

    public func readEvents(timeout: Duration) -> [InputEvent] {
        defer { pendingInput.removeAll() }
        return pendingInput
    }
}
