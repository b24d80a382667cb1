import Testing

@testable import PythiaTUI

@Suite struct KeyDecoderTests {
    private func chars(_ text: String) -> [RawInput] { text.unicodeScalars.map(RawInput.character) }

    /// The key presses decoded, for tests of keys alone.
    private func decode(_ input: [RawInput]) -> [Key] {
        KeyDecoder.events(input).compactMap { event in
            guard case .key(let key) = event else { return nil }
            return key
        }
    }

    @Test func focusReportsAreEventsNotKeys() {
        #expect(KeyDecoder.events(chars("a\u{1B}[Ob\u{1B}[I")) == [.key(.char("a")), .focus(false), .key(.char("b")), .focus(true)])
        #expect(KeyDecoder.events([.namedKey("kxOUT"), .namedKey("kxIN")]) == [.focus(false), .focus(true)])
        // SS3 O is not a focus report: ESC O P is still F1.
        #expect(KeyDecoder.events(chars("\u{1B}OP")) == [.key(Key(.function(1)))])
    }

    @Test func controlCharactersBecomeCtrlKeys() {
        #expect(decode(chars("\u{1}\u{5}\u{17}\r\n\t\u{7F}")) == [
            .ctrl("a"), .ctrl("e"), .ctrl("w"), Key(.enter), .ctrl("j"), Key(.tab), Key(.backspace),
        ])
    }

    @Test func escapeThenAKeyIsAlt() {
        #expect(decode(chars("\u{1B}b\u{1B}\r\u{1B}1")) == [.alt(.character("b")), Key(.enter, .alt), .alt(.character("1"))])
        #expect(decode(chars("\u{1B}")) == [Key(.escape)])
        #expect(decode([.character("\u{1B}"), .namedKey("KEY_END")]) == [Key(.end, .alt)])
    }

    @Test func xtermSequencesDecodeEvenWithoutTerminfo() {
        #expect(decode(chars("\u{1B}[1;3B\u{1B}[1;3A\u{1B}[1;3F\u{1B}[5~\u{1B}[6~\u{1B}OP\u{1B}[3~")) == [
            Key(.down, .alt), Key(.up, .alt), Key(.end, .alt), Key(.pageUp), Key(.pageDown), Key(.function(1)), Key(.delete),
        ])
    }

    @Test func namedKeysIncludingExtendedCapabilities() {
        #expect(decode([.namedKey("KEY_PPAGE"), .namedKey("kDN3"), .namedKey("kUP3"), .namedKey("kEND3"), .namedKey("KEY_F(1)"), .namedKey("kRIT5")]) == [
            Key(.pageUp), Key(.down, .alt), Key(.up, .alt), Key(.end, .alt), Key(.function(1)), Key(.right, .control),
        ])
        #expect(decode([.namedKey("KEY_SOMETHING_ODD")]).isEmpty)
    }

    @Test func wideCharactersPassThrough() {
        #expect(decode(chars("日👍")) == [.char("日"), .char("👍")])
    }

    @Test func keymapBindsTheDocumentedKeys() {
        let keymap = Keymap()
        #expect(keymap.action(for: .ctrl("n")) == .nextChannel)
        #expect(keymap.action(for: Key(.down, .alt)) == .nextChannel)
        #expect(keymap.action(for: Key(.up, .alt)) == .previousChannel)
        #expect(keymap.action(for: .alt(.character("3"))) == .jumpToChannel(3))
        #expect(keymap.action(for: .alt(.character("a"))) == .nextActiveChannel)
        #expect(keymap.action(for: Key(.end, .alt)) == .scrollToBottom)
        #expect(keymap.action(for: Key(.escape)) == .scrollToBottom)
        #expect(keymap.action(for: Key(.enter, .alt)) == .newline)
        #expect(keymap.action(for: .ctrl("j")) == .newline)
        #expect(keymap.action(for: .ctrl("c")) == .interrupt)
        #expect(keymap.action(for: Key(.function(1))) == .help)
        #expect(keymap.action(for: .char("é")) == .insert("é"))
        #expect(keymap.action(for: .ctrl("q")) == nil)
        #expect(keymap.action(for: .alt(.character("z"))) == nil)
    }
}
