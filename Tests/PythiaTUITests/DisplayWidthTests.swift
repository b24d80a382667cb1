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
        #expect(DisplayWidth.printable("\u{1B}") == DisplayWidth.replacement)
        #expect(DisplayWidth.printable("\t") == " ")
        #expect(DisplayWidth.of("a\u{7}b") == 3)
        #expect(DisplayWidth.of("a\r\nb\u{7F}") == 4)
        #expect(DisplayWidth.of("a\r\nb\u{7F}" as Substring) == DisplayWidth.of("a\r\nb\u{7F}é"[...]) - 1)
        #expect(DisplayWidth.printable("\r\n") == DisplayWidth.replacement)
        #expect(DisplayWidth.printable("\u{7F}") == DisplayWidth.replacement)
    }

    @Test func truncationEndsWithAnEllipsisWithinTheColumns() {
        #expect(DisplayWidth.truncate("general-discussion", toColumns: 8) == "general…")
        #expect(DisplayWidth.truncate("日本語テキスト", toColumns: 6) == "日本…")
        #expect(DisplayWidth.truncate("short", toColumns: 8) == "short")
    }
}
