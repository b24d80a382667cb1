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
        #expect(DisplayWidth.of("❤️") == 2)
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
}
