import Foundation
import PythiaProtocol
import Testing

@Suite struct TerminalTextTests {
    /// Every scalar a terminal may act on rather than show.
    static let hostile = "a\u{1B}[2J\u{1B}]0;title\u{7}b\u{9B}31m\u{85}\u{8D}c\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}d\u{2066}\u{2067}\u{2068}\u{2069}e\u{7F}\r"

    private func rawControls(_ text: String) -> [UInt32] {
        text.unicodeScalars.filter(TerminalText.isControl).map(\.value)
    }

    @Test func printableReplacesEveryControlAndKeepsTheRest() {
        let printed = TerminalText.sanitized(Self.hostile)
        #expect(rawControls(printed).isEmpty)
        #expect(printed.hasPrefix("a\u{FFFD}[2J\u{FFFD}]0;title\u{FFFD}b\u{FFFD}31m"))
        #expect(TerminalText.sanitized("tab\there, 日本語, 👍🏽, e\u{301}") == "tab here, 日本語, 👍🏽, e\u{301}")
        #expect(TerminalText.sanitized("two\nlines") == "two\u{FFFD}lines")
    }

    @Test func aFrameKeepsItsTextWithControlsEscaped() throws {
        let frame = String(decoding: try JSONSerialization.data(withJSONObject: ["type": "new_message", "content": Self.hostile], options: [.sortedKeys]), as: UTF8.self)
        let line = TerminalText.jsonLine(frame)
        #expect(rawControls(line).isEmpty)
        #expect(line.contains(#"\u009b"#) && line.contains(#"\u202e"#) && line.contains(#"\u2066"#) && line.contains(#"\u007f"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["content"] == Self.hostile)
        // A frame without controls is printed exactly as received.
        let plain = #"{"type":"pong","n":1.50}"#
        #expect(TerminalText.jsonLine(plain) == plain)
    }

    @Test func aFrameOnSeveralLinesIsCompacted() throws {
        let line = TerminalText.jsonLine("{\n  \"type\": \"x\",\r\n\t\"v\": \"\u{9B}\"\n}")
        #expect(!line.contains("\n") && rawControls(line).isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object == ["type": "x", "v": "\u{9B}"])
    }

    @Test(arguments: ["not json \u{1B}[31m\u{9B}\u{202E}", "{\"type\":\"x\u{1B}[2J\"", "\"quoted\" \\ \n\u{7}", ""])
    func anUnparseableFrameIsPrintedAsAJSONString(frame: String) throws {
        let line = TerminalText.jsonLine(frame)
        #expect(rawControls(line).isEmpty)
        #expect(try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]) as? String == frame)
    }
}
