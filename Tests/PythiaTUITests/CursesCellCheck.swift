import CNcursesw

@testable import PythiaTUI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What ncursesw would make of a grid, asked of the C library itself: every cell must be one
/// spacing character whose `wcwidth` is the cell's span (two when a continuation follows)
/// plus at most four zero-width characters (`setcchar` keeps no more, and drops everything
/// from a second spacing character on), none of which joins or widens across cells.
enum CursesCellCheck {
    /// Runs `body` with the C library's character tables in the UTF-8 locale ncurses runs in.
    /// The locale is left set: tests run in parallel, and nothing else here depends on it.
    static func inUTF8Locale<T>(_ body: () throws -> T) rethrows -> T {
        setlocale(LC_CTYPE, "C.UTF-8")
        return try body()
    }

    /// The C library's width of a scalar.
    static func wcwidth(_ scalar: Unicode.Scalar) -> Int {
        Int(CNcursesw.wcwidth(wchar_t(bitPattern: scalar.value)))
    }

    /// The cells ncurses could not show as the grid says, described; empty when all agree.
    static func problems(in grid: CellGrid) -> [String] {
        inUTF8Locale {
            var problems: [String] = []
            for row in 0..<grid.size.rows {
                for column in 0..<grid.size.columns where !grid[row, column].isContinuation {
                    let scalars = Array(grid[row, column].grapheme.unicodeScalars)
                    let span = grid[row, column + 1].isContinuation && column + 1 < grid.size.columns ? 2 : 1
                    let described = scalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
                    let widths = scalars.map(wcwidth)
                    let joins = scalars.contains { [0x200D, 0xFE0E, 0xFE0F].contains($0.value) }
                    if widths.first != span || widths.dropFirst().contains(where: { $0 != 0 }) || scalars.count > Int(CCHARW_MAX) || joins {
                        problems.append("row \(row) column \(column): \(described) has wcwidths \(widths) in a cell \(span) wide")
                    }
                }
            }
            return problems
        }
    }
}
