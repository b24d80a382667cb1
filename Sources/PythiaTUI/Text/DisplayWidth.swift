import PythiaProtocol

/// How many terminal columns text occupies, and what goes in each cell, as ncursesw will draw
/// it: ncurses measures every character with the C library's `wcwidth` and keeps one cell as a
/// spacing character plus at most four zero-width ones (`CCHARW_MAX`). A grapheme cluster that
/// fits that shape is drawn whole; one that does not (a ZWJ family, a flag, a skin tone — two
/// or more spacing scalars) is drawn as cells that do, so the cursor ncurses tracks and the one
/// the terminal moves never part:
///
/// - a flag 🇯🇵 is its two letters `JP` (two regional indicators side by side are joined by
///   terminals that draw flags, splitting them would not be safe);
/// - an emoji sequence (ZWJ or skin tone) takes the two columns of one emoji, drawn as its
///   first wide emoji (👩‍👩‍👧‍👦 as 👩, 👍🏽 as 👍), or its first scalar and `TerminalText.replacement`;
/// - any other cluster (Indic conjuncts) is one cell per spacing scalar, as `wcwidth` counts;
/// - variation selectors, ZWJ and emoji tags are left out of a cell: terminals disagree on how
///   wide VS16 makes a narrow base (❤️, 1️⃣), and a ZWJ would join the next cell's emoji;
/// - control and unassigned characters become `TerminalText.replacement`, a tab a space.
///
/// Widths come from a copy of `wcwidth`'s table (`wcwidthRuns`) rather than from the C
/// library at run time, whose answer depends on the process locale.
public enum DisplayWidth {
    /// The columns one grapheme occupies once drawn.
    public static func of(_ grapheme: Character) -> Int {
        // ASCII (controls become one-column replacements) needs no table lookup.
        if grapheme.isASCII { return 1 }
        var columns = 0
        forEachCell(of: grapheme) { _, width in columns += width }
        return columns
    }

    /// The columns a string occupies once drawn.
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

    /// The cells a grapheme is drawn in, left to right: each one spacing scalar with at most
    /// four zero-width ones (what ncurses holds in a cell) and its width, 1 or 2. A grapheme
    /// of zero-width scalars only has no cell.
    public static func forEachCell(of grapheme: Character, _ body: (_ cell: Character, _ width: Int) -> Void) {
        if grapheme.isASCII { return body(TerminalText.printable(grapheme), 1) }
        let scalars = grapheme.unicodeScalars
        guard let first = scalars.first else { return }
        if TerminalText.isControl(first) { return body(TerminalText.replacement, 1) }
        if scalars.index(after: scalars.startIndex) == scalars.endIndex {
            let width = width(of: first)
            if width < 0 {
                body(TerminalText.replacement, 1)
            } else if width > 0 {
                body(grapheme, width)
            }
            return
        }
        if isRegionalIndicator(first) {
            for scalar in scalars where isRegionalIndicator(scalar) {
                body(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(scalar.value - 0x1F1E6))), 1)
            }
            return
        }
        if isEmojiSequence(scalars) {
            if let wide = scalars.first(where: { width(of: $0) == 2 }) { return body(Character(wide), 2) }
            let base = width(of: first) == 1 ? Character(first) : TerminalText.replacement
            body(base, 1)
            return body(TerminalText.replacement, 1)
        }
        var cell = String.UnicodeScalarView()
        var cellWidth = 0
        var marks = 0
        for scalar in scalars {
            let width = width(of: scalar)
            if width == 0 {
                if cellWidth > 0, marks < 4, !isLeftOut(scalar) {
                    cell.append(scalar)
                    marks += 1
                }
                continue
            }
            emit(cell, width: cellWidth, to: body)
            cell = String.UnicodeScalarView()
            cell.append(width > 0 ? scalar : "\u{FFFD}")
            cellWidth = max(1, width)
            marks = 0
        }
        emit(cell, width: cellWidth, to: body)
    }

    /// The columns of one scalar standing alone, as `wcwidth` says: -1 for a character that
    /// cannot be printed (control, unassigned), 0 for combining and format characters, 1, or 2.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value < 0x20 ? (value == 0 ? 0 : -1) : 1 }
        // The last run starting at or before the scalar.
        var low = 0
        var high = wcwidthRuns.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if wcwidthRuns[middle] >> 2 <= value { low = middle } else { high = middle - 1 }
        }
        return Int(wcwidthRuns[low] & 3) - 1
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

    /// A ZWJ sequence or a skin tone on an emoji: drawn whole, it would take one emoji's columns.
    private static func isEmojiSequence(_ scalars: String.UnicodeScalarView) -> Bool {
        guard let first = scalars.first, first.value > 0xFF, first.properties.isEmoji else { return false }
        return scalars.dropFirst().contains { $0.value == 0x200D || (0x1F3FB...0x1F3FF).contains($0.value) }
    }

    /// Zero-width scalars a cell leaves out: ZWJ, the emoji and text variation selectors, tags.
    private static func isLeftOut(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x200D || scalar.value == 0xFE0E || scalar.value == 0xFE0F || (0xE0020...0xE007F).contains(scalar.value)
    }

    /// Hands a cell on when it has a spacing scalar and its scalars make one grapheme.
    private static func emit(_ cell: String.UnicodeScalarView, width: Int, to body: (Character, Int) -> Void) {
        guard width > 0 else { return }
        let text = String(cell)
        guard let character = text.first else { return }
        body(text.count == 1 ? character : TerminalText.replacement, width)
    }
}
