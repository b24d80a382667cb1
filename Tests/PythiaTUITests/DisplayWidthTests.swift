import PythiaProtocol
import Testing

@testable import PythiaTUI

@Suite struct DisplayWidthTests {
    @Test func asciiIsOneColumnEach() {
        #expect(DisplayWidth.of("hello") == 5)
    }

    @Test func cjkAndEmojiAreTwoColumns() {
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("🎉") == 2)
        #expect(DisplayWidth.of("👩‍💻") == 2)
        #expect(DisplayWidth.of("🇫🇷") == 2)
    }

    @Test func combiningMarksAddNothing() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("Ame\u{301}lie") == 6)
    }

    @Test func controlCharactersAreReplacedNotPrinted() {
        #expect(TerminalText.printable("\u{1B}") == TerminalText.replacement)
        #expect(TerminalText.printable("\t") == " ")
        #expect(DisplayWidth.of("a\u{7}b") == 3)
        #expect(DisplayWidth.of("a\r\nb\u{7F}") == 4)
        #expect(DisplayWidth.of("a\r\nb\u{7F}" as Substring) == DisplayWidth.of("a\r\nb\u{7F}é"[...]) - 1)
        #expect(TerminalText.printable("\r\n") == TerminalText.replacement)
        #expect(TerminalText.printable("\u{7F}") == TerminalText.replacement)
        // C1 and bidirectional controls too: one column each, drawn as the replacement.
        for control in ["\u{9B}", "\u{85}", "\u{202E}", "\u{2066}"] as [Character] {
            #expect(TerminalText.printable(control) == TerminalText.replacement)
            #expect(DisplayWidth.of(control) == 1)
        }
        #expect(DisplayWidth.of("a\u{202E}b") == 3)
    }

    @Test func truncationEndsWithAnEllipsisWithinTheColumns() {
        #expect(DisplayWidth.truncate("general-discussion", toColumns: 8) == "general…")
        #expect(DisplayWidth.truncate("日本語テキスト", toColumns: 6) == "日本…")
        #expect(DisplayWidth.truncate("short", toColumns: 8) == "short")
    }

    /// ncurses asks `wcwidth` how far each character moves the cursor: any scalar measured
    /// differently here would shift everything after it on the line.
    @Test func everyScalarHasTheCLibrarysWidth() {
        let mismatches = CursesCellCheck.inUTF8Locale {
            var mismatches: [String] = []
            for value in UInt32(0)...0x10FFFF {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let expected = CursesCellCheck.wcwidth(scalar)
                let actual = DisplayWidth.width(of: scalar)
                if expected != actual {
                    mismatches.append("U+\(String(value, radix: 16, uppercase: true)): wcwidth \(expected), DisplayWidth \(actual)")
                }
            }
            return mismatches
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) scalars differ, first: \(mismatches.prefix(20).joined(separator: "; "))")
    }

    /// `zwj 👩‍👩‍👧‍👦 flag 🇯🇵` used to show as `zwj 👩 flag ‍🇯`: the cells held scalars ncurses
    /// drops or measures differently, so the rest of the line moved.
    @Test func theGraphemeLineKeepsWhatFollowsInPlace() {
        var grid = CellGrid(size: TerminalSize(rows: 1, columns: 40))
        let end = grid.draw("zwj 👩‍👩‍👧‍👦 flag 🇯🇵 tone 👍🏽 key 1️⃣ é!", row: 0, column: 0, style: .plain)
        #expect(grid.lines == ["zwj 👩 flag JP tone 👍 key 1\u{20E3} e\u{301}!"])
        #expect(end == 31)
        #expect(grid[0, 30].grapheme == "!")
        #expect(CursesCellCheck.problems(in: grid) == [])
    }

    /// Wrapping, measuring and drawing count the same columns for every cluster, so a
    /// wrapped line never overflows and what follows a cluster starts where it was measured.
    @Test func wrappedClustersFitTheirLines() {
        let text = StyledText("a👩‍👩‍👧‍👦b 🇯🇵🇫🇷 👍🏽👍🏽 1️⃣2️⃣ e\u{301}e\u{301} 日本語 क्षत्रिय ❤️‍🔥 end", style: .plain)
        for width in 1...14 {
            for line in text.wrapped(width: width) {
                // Only a grapheme wider than the whole line (a wide one, or a conjunct of
                // three spacing scalars) may stand alone on a line it overflows.
                let graphemes = line.runs.map(\.text).joined().count
                #expect(line.width <= width || graphemes == 1, "width \(width): \(line.runs.map(\.text))")
                var grid = CellGrid(size: TerminalSize(rows: 1, columns: 20))
                #expect(line.draw(in: &grid, row: 0, column: 0, limit: 20) == line.width)
                #expect(CursesCellCheck.problems(in: grid) == [])
            }
        }
    }

    /// Each cluster is drawn in cells ncurses can hold, as wide as the cluster says it is.
    @Test(arguments: [
        ("👩‍👩‍👧‍👦", ["👩"], 2),
        ("🇯🇵", ["J", "P"], 2),
        ("👍🏽", ["👍"], 2),
        ("1️⃣", ["1\u{20E3}"], 1),
        ("❤️", ["❤"], 1),
        ("e\u{301}", ["e\u{301}"], 1),
        ("a\u{300}\u{301}\u{302}\u{303}\u{304}\u{305}", ["a\u{300}\u{301}\u{302}\u{303}"], 1),
        ("\u{1100}\u{1161}\u{11A8}", ["\u{1100}\u{1161}\u{11A8}"], 2),
        ("❤️‍🔥", ["🔥"], 2),
        ("🏳️‍🌈", ["🌈"], 2),
        ("👁️‍🗨️", ["👁", "\u{FFFD}"], 2),
        ("\u{378}", ["\u{FFFD}"], 1),
        ("\u{301}", [], 0),
    ])
    func clustersBecomeCellsNcursesCanHold(cluster: String, cells: [String], width: Int) throws {
        let grapheme = try #require(cluster.count == 1 ? cluster.first : nil)
        var drawn: [String] = []
        var columns = 0
        DisplayWidth.forEachCell(of: grapheme) { cell, cellWidth in
            drawn.append(String(cell))
            columns += cellWidth
        }
        #expect(drawn == cells)
        #expect(columns == width)
        #expect(DisplayWidth.of(grapheme) == width)
        var grid = CellGrid(size: TerminalSize(rows: 1, columns: 6))
        let end = grid.draw(cluster + "x", row: 0, column: 0, style: .plain)
        #expect(end == width + 1)
        #expect(grid[0, width].grapheme == "x")
        #expect(CursesCellCheck.problems(in: grid) == [])
    }
}
