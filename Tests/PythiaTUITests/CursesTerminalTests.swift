import CNcursesw
import Testing

@testable import PythiaTUI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ncurses itself, on a terminal whose output goes nowhere: what it keeps of each cell written.
@Suite struct CursesTerminalTests {
    /// The grapheme screen through the real `CursesTerminal`: ncurses holds every cell's
    /// characters, all of them, in the column the grid has them.
    @Test func ncursesHoldsEveryCellWhereTheGridHasIt() throws {
        let frame = GoldenScreenTests.render(GoldenScreenTests.graphemeScreen, size: ChatScreen.minimumSize)
        let shown = try CursesCellCheck.inUTF8Locale { () throws -> [[String]] in
            let output = try #require(fopen("/dev/null", "w"))
            let input = try #require(fopen("/dev/null", "r"))
            defer {
                fclose(output)
                fclose(input)
            }
            let terminal = try CursesTerminal(
                output: output,
                input: input,
                type: "xterm-256color",
                wakePipe: try #require(WakePipe()),
                colors: true,
                mouse: false
            )
            defer { terminal.close() }
            var renderer = Renderer()
            renderer.present(frame.grid, cursor: frame.cursor, on: terminal)
            let window = try #require(pythia_stdscr())
            return (0..<frame.grid.size.rows).map { row in
                (0..<frame.grid.size.columns).map { column in
                    var cell = cchar_t()
                    mvwin_wch(window, Int32(row), Int32(column), &cell)
                    var characters = [wchar_t](repeating: 0, count: Int(CCHARW_MAX) + 1)
                    var attributes: attr_t = 0
                    var pair: Int16 = 0
                    getcchar(&cell, &characters, &attributes, &pair, nil)
                    return String(String.UnicodeScalarView(characters.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }))
                }
            }
        }
        var misplaced: [String] = []
        for row in 0..<frame.grid.size.rows {
            for column in 0..<frame.grid.size.columns where !frame.grid[row, column].isContinuation {
                let expected = String(frame.grid[row, column].grapheme)
                if shown[row][column] != expected {
                    misplaced.append(
                        "row \(row) column \(column): grid \(Array(expected.unicodeScalars)), ncurses \(Array(shown[row][column].unicodeScalars))"
                    )
                }
            }
        }
        #expect(misplaced == [])
    }
}
