import Testing

@testable import PythiaTUI

@Suite struct RendererTests {
    @Test func wideGraphemesTakeTwoCellsAndAreClipped() {
        var grid = CellGrid(size: TerminalSize(rows: 2, columns: 5))
        #expect(grid.draw("a日b👍", row: 0, column: 0, style: .plain) == 5)
        #expect(grid.text(ofRow: 0) == "a日b ")
        #expect(grid[0, 2].isContinuation)
        #expect(!grid[0, 4].isContinuation)
        #expect(grid.draw("ab👍c", row: 1, column: 0, style: .plain, limit: 3) == 3)
        #expect(grid.text(ofRow: 1) == "ab   ")
    }

    @Test func overwritingHalfAWideGraphemeClearsTheOtherHalf() {
        var grid = CellGrid(size: TerminalSize(rows: 1, columns: 4))
        grid.draw("日本", row: 0, column: 0, style: .plain)
        grid.draw("x", row: 0, column: 1, style: .plain)
        #expect(grid.text(ofRow: 0) == " x本")
        #expect(!grid[0, 1].isContinuation)
    }

    @Test func controlCharactersAreNeverStored() {
        var grid = CellGrid(size: TerminalSize(rows: 1, columns: 8))
        grid.draw("a\u{1B}[2Jb", row: 0, column: 0, style: .plain)
        #expect(grid.lines == ["a\u{FFFD}[2Jb"])
    }

    @Test func onlyChangedCellsAreWritten() {
        let terminal = InMemoryTerminal(size: TerminalSize(rows: 3, columns: 10))
        var renderer = Renderer()
        var frame = CellGrid(size: terminal.size)
        frame.draw("hello", row: 0, column: 0, style: .plain)
        #expect(renderer.present(frame, cursor: nil, on: terminal) == 30)
        #expect(terminal.grid == frame)
        frame.draw("J", row: 0, column: 0, style: .plain)
        frame.draw("日", row: 2, column: 4, style: CellStyle(foreground: .indexed(1)))
        #expect(renderer.present(frame, cursor: CursorPosition(row: 1, column: 2), on: terminal) == 3)
        #expect(terminal.grid == frame)
        #expect(terminal.cursor == CursorPosition(row: 1, column: 2))
        #expect(renderer.present(frame, cursor: nil, on: terminal) == 0)
        renderer.invalidate()
        #expect(renderer.present(frame, cursor: nil, on: terminal) == 30)
    }
}

@Suite struct WrappingTests {
    private func wrap(_ text: String, _ width: Int) -> [String] {
        StyledText(text, style: .plain).wrapped(width: width).map { $0.runs.map(\.text).joined() }
    }

    @Test func wrapsAtSpacesAndDropsTheBreakingSpace() {
        #expect(wrap("the quick brown fox", 10) == ["the quick", "brown fox"])
    }

    @Test func breaksWordsLongerThanALine() {
        #expect(wrap("abcdefghijkl xy", 5) == ["abcde", "fghij", "kl xy"])
    }

    @Test func keepsHardLineBreaksAndIndentation() {
        #expect(wrap("one\n  two", 10) == ["one", "  two"])
    }

    @Test func wideTextBreaksBetweenGraphemesByColumns() {
        #expect(wrap("日本語テキスト", 6) == ["日本語", "テキス", "ト"])
        #expect(wrap("ab 👍👍👍", 5) == ["ab 👍", "👍👍"])
    }

    @Test func combiningMarksStayWithTheirLetter() {
        #expect(wrap("e\u{301}e\u{301}e\u{301}", 2) == ["e\u{301}e\u{301}", "e\u{301}"])
    }
}
