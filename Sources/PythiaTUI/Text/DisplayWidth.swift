import PythiaProtocol

/// How many terminal columns text occupies, with `wcwidth` semantics: East Asian wide and
/// emoji-presentation graphemes take 2 columns, combining marks and format characters 0,
/// everything else 1. Control characters are never printed raw: `TerminalText.printable(_:)`
/// replaces each with a one-column mark.
///
/// The table is the library's own rather than the C library's `wcwidth`, whose answer
/// depends on the process locale; it follows Unicode 15's East Asian Width wide ranges.
public enum DisplayWidth {
    /// The columns one grapheme occupies once made printable (0, 1 or 2).
    public static func of(_ grapheme: Character) -> Int {
        // ASCII (controls become one-column replacements) needs no Unicode property lookup.
        if grapheme.isASCII { return 1 }
        let scalars = grapheme.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if TerminalText.isControl(first) { return 1 }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if scalars.count > 1, scalars.contains(where: { $0.value == 0x200D }),
            scalars.contains(where: { $0.properties.isEmoji && $0.value > 0xFF })
        {
            return 2
        }
        if isRegionalIndicator(first) { return scalars.count > 1 ? 2 : 1 }
        return width(of: first)
    }

    /// The columns a string occupies once made printable.
    public static func of(_ text: some StringProtocol) -> Int {
        // ASCII text is one column a byte, except that `\r\n` is one grapheme.
        var pairs = 0
        var afterReturn = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return text.reduce(0) { $0 + of($1) } }
            if byte == 0x0A, afterReturn { pairs += 1 }
            afterReturn = byte == 0x0D
        }
        return text.utf8.count - pairs
    }

    /// The columns of one scalar standing alone.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if TerminalText.isControl(scalar) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return 0
        default:
            break
        }
        if (0x1160...0x11FF).contains(value) || value == 0x200B { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    /// Cuts text to at most `columns` columns, ending in `…` when something was cut.
    public static func truncate(_ text: String, toColumns columns: Int) -> String {
        guard columns > 0 else { return "" }
        guard of(text) > columns else { return text }
        var result = ""
        var used = 0
        for grapheme in text {
            let width = of(grapheme)
            if used + width > columns - 1 { break }
            result.append(TerminalText.printable(grapheme))
            used += width
        }
        return result + "…"
    }

    static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(scalar.value)
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
