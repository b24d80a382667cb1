/// Text from the network made safe to print on a terminal: no control character reaches it
/// raw, so a message, a user name or an error detail can neither send escape sequences
/// (move the cursor, retitle the window, write to the clipboard) nor reorder what the
/// terminal shows around it with bidirectional overrides.
///
/// The chat UI draws every grapheme through ``printable(_:)``; the headless commands print
/// whole lines through ``sanitized(_:)``, which applies it to each grapheme.
public enum TerminalText {
    /// The replacement shown for a control character.
    public static let replacement: Character = "\u{FFFD}"

    /// Whether `scalar` must never reach a terminal raw: C0 controls, DEL, C1 controls
    /// (U+0080–U+009F, which some terminals read as ESC sequences) and the bidirectional
    /// embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F..<0xA0).contains(value) || isBidiControl(scalar)
    }

    /// Whether `scalar` is a bidirectional embedding, override or isolate control.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// The grapheme as it may be drawn: control characters become ``replacement``, a tab a space.
    public static func printable(_ grapheme: Character) -> Character {
        if let ascii = grapheme.asciiValue, ascii >= 0x20, ascii != 0x7F { return grapheme }
        guard let first = grapheme.unicodeScalars.first, isControl(first) else { return grapheme }
        return first == "\t" ? " " : replacement
    }

    /// The text as it may be printed on one line: every grapheme through ``printable(_:)``.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(text.map(printable))
    }
}
