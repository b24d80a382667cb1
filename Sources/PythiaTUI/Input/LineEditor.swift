import PythiaProtocol

/// The input line's text and cursor, edited with emacs keys, with input history and a kill ring.
///
/// The text may span several lines (Alt-Enter / Ctrl-J insert a newline). Positions are
/// grapheme offsets, so a cursor never lands inside an emoji or a combining sequence: after
/// every edit the text is split into graphemes again, because the terminal delivers a ZWJ
/// sequence, a flag or a combining mark one scalar at a time, and a deletion can bring two
/// regional indicators together.
public struct LineEditor: Hashable, Sendable {
    /// The text being edited, as graphemes.
    public private(set) var characters: [Character] = []
    /// The cursor, from 0 (before the first grapheme) to `characters.count`.
    public private(set) var cursor = 0
    /// Lines submitted earlier, oldest first.
    public private(set) var history = InputHistory()
    private var killRing = KillRing()

    /// Creates an empty editor.
    public init() {}

    /// The text being edited.
    public var text: String { String(characters) }

    /// Whether there is no text.
    public var isEmpty: Bool { characters.isEmpty }

    /// Replaces the whole text and puts the cursor at its end.
    public mutating func setText(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Inserts text at the cursor (newlines included; other control characters are dropped).
    public mutating func insert(_ text: String) {
        let accepted = text.filter { $0 == "\n" || !($0.unicodeScalars.first.map(TerminalText.isControl) ?? true) }
        characters.insert(contentsOf: accepted, at: cursor)
        cursor += accepted.count
        regroup(from: cursor - accepted.count)
    }

    /// Moves the cursor one grapheme left (Ctrl-B, ←).
    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    /// Moves the cursor one grapheme right (Ctrl-F, →).
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    /// Moves to the start of the current line (Ctrl-A, Home).
    public mutating func moveToLineStart() { cursor = lineStart(of: cursor) }
    /// Moves to the end of the current line (Ctrl-E, End).
    public mutating func moveToLineEnd() { cursor = lineEnd(of: cursor) }
    /// Moves to the start of the previous word (Alt-B).
    public mutating func moveWordLeft() { cursor = wordStart(before: cursor) }
    /// Moves past the end of the next word (Alt-F).
    public mutating func moveWordRight() {
        var index = cursor
        while index < characters.count, !isWordCharacter(characters[index]) { index += 1 }
        while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
        cursor = index
    }

    /// Deletes the grapheme before the cursor (Backspace, Ctrl-H).
    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
        regroup(from: cursor)
    }

    /// Deletes the grapheme under the cursor (Del, Ctrl-D).
    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
        regroup(from: cursor)
    }

    /// Kills from the cursor to the end of the line (Ctrl-K); at a line's end, kills the newline.
    public mutating func killToLineEnd() {
        let end = lineEnd(of: cursor)
        kill(cursor..<(end == cursor ? min(characters.count, end + 1) : end))
    }

    /// Kills from the start of the line to the cursor (Ctrl-U).
    public mutating func killToLineStart() { kill(lineStart(of: cursor)..<cursor) }

    /// Kills the word before the cursor (Ctrl-W).
    public mutating func killWordBackward() { kill(wordStart(before: cursor)..<cursor) }

    /// Inserts the most recently killed text (Ctrl-Y).
    public mutating func yank() {
        if let text = killRing.latest { insert(text) }
    }

    /// Recalls the previous history entry (Up); the unsent draft is kept for `historyNext`.
    /// In multi-line text, Up first moves between lines.
    public mutating func historyPrevious() {
        if let above = verticalMove(up: true) {
            cursor = above
        } else if let entry = history.previous(draft: text) {
            setText(entry)
        }
    }

    /// Moves forward in history (Down), back to the draft after the newest entry.
    public mutating func historyNext() {
        if let below = verticalMove(up: false) {
            cursor = below
        } else if let entry = history.next() {
            setText(entry)
        }
    }

    /// Takes the text out for sending: records it in history and empties the editor.
    public mutating func submit() -> String {
        let submitted = text
        history.record(submitted)
        characters = []
        cursor = 0
        return submitted
    }

    /// Replaces a range of graphemes (used by completion) and puts the cursor after the replacement.
    public mutating func replace(_ range: Range<Int>, with replacement: String) {
        characters.replaceSubrange(range, with: Array(replacement))
        cursor = range.lowerBound + replacement.count
        regroup(from: range.lowerBound)
    }

    private mutating func kill(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        killRing.push(String(characters[range]))
        characters.removeSubrange(range)
        cursor = range.lowerBound
        regroup(from: range.lowerBound)
    }

    /// Splits the text into graphemes again after an edit at `edit`; the cursor keeps its
    /// place in the text, or moves to the end of a grapheme it would now be inside. Whether
    /// text breaks between two scalars depends on what precedes the break and only the one
    /// scalar after it, so breaks before the grapheme ahead of the edit stay: typing at the
    /// end regroups two graphemes, not the whole text.
    private mutating func regroup(from edit: Int) {
        let start = max(0, min(edit, characters.count) - 1)
        let regrouped = Array(String(characters[start...]))
        guard !regrouped.elementsEqual(characters[start...]) else { return }
        var scalarsBefore = cursor > start ? characters[start..<cursor].reduce(0) { $0 + $1.unicodeScalars.count } : 0
        var position = start
        for grapheme in regrouped where scalarsBefore > 0 {
            scalarsBefore -= grapheme.unicodeScalars.count
            position += 1
        }
        characters.replaceSubrange(start..., with: regrouped)
        if cursor > start { cursor = position }
    }

    private func lineStart(of index: Int) -> Int {
        var start = index
        while start > 0, characters[start - 1] != "\n" { start -= 1 }
        return start
    }

    private func lineEnd(of index: Int) -> Int {
        var end = index
        while end < characters.count, characters[end] != "\n" { end += 1 }
        return end
    }

    private func wordStart(before index: Int) -> Int {
        var start = index
        while start > 0, !isWordCharacter(characters[start - 1]) { start -= 1 }
        while start > 0, isWordCharacter(characters[start - 1]) { start -= 1 }
        return start
    }

    private func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    /// The cursor one line up or down at the same display column (or the last grapheme
    /// starting before it), or nil when there is no such line.
    private func verticalMove(up: Bool) -> Int? {
        let start = lineStart(of: cursor)
        let column = characters[start..<cursor].reduce(0) { $0 + DisplayWidth.of($1) }
        let target: Int
        if up {
            guard start > 0 else { return nil }
            target = lineStart(of: start - 1)
        } else {
            let end = lineEnd(of: cursor)
            guard end < characters.count else { return nil }
            target = end + 1
        }
        var position = target
        var used = 0
        let end = lineEnd(of: target)
        while position < end, used + DisplayWidth.of(characters[position]) <= column {
            used += DisplayWidth.of(characters[position])
            position += 1
        }
        return position
    }
}
