/// One column of one row of the screen.
public struct Cell: Hashable, Sendable {
    /// What the cell shows, a blank when empty: one spacing character and at most four
    /// zero-width ones, as an ncurses cell holds (`DisplayWidth.forEachCell`). A wide one
    /// occupies its cell and the next, which holds `isContinuation == true`.
    public var grapheme: Character
    /// Colours and attributes.
    public var style: CellStyle
    /// The right half of a wide grapheme drawn in the cell to the left.
    public var isContinuation: Bool

    /// Creates a cell.
    public init(_ grapheme: Character = " ", style: CellStyle = .plain, isContinuation: Bool = false) {
        self.grapheme = grapheme
        self.style = style
        self.isContinuation = isContinuation
    }

    /// An empty cell in the plain style.
    public static let blank = Cell()
}
