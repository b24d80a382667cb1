/// A rectangle of the screen, in cells.
public struct Rect: Hashable, Sendable {
    /// The top row.
    public var row: Int
    /// The left column.
    public var column: Int
    /// Its height.
    public var rows: Int
    /// Its width.
    public var columns: Int

    /// Creates a rectangle; negative sizes become empty.
    public init(row: Int, column: Int, rows: Int, columns: Int) {
        self.row = row
        self.column = column
        self.rows = max(0, rows)
        self.columns = max(0, columns)
    }

    /// The column after the right edge.
    public var right: Int { column + columns }
    /// The row below the bottom edge.
    public var bottom: Int { row + rows }

    /// Whether a screen position falls inside.
    public func contains(row: Int, column: Int) -> Bool {
        row >= self.row && row < bottom && column >= self.column && column < right
    }
}
