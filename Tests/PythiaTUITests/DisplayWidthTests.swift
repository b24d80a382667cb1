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
    }

    @Test func truncationEndsWithAnEllipsisWithinTheColumns() {
        #expect(DisplayWidth.truncate("general-discussion", toColumns: 8) == "general…")
        #expect(DisplayWidth.truncate("日本語テキスト", toColumns: 6) == "日本…")
        #expect(DisplayWidth.truncate("short", toColumns: 8) == "short")
    }
}
