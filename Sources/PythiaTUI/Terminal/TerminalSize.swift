/// A terminal's size in character cells.
public struct TerminalSize: Hashable, Sendable, CustomStringConvertible {
    /// Rows.
    public var rows: Int
    /// Columns.
    public var columns: Int

    /// Creates a size, clamping negative values to zero.
    public init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
    }

    public var description: String { "\(columns)×\(rows)" }
}
