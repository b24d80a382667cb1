/// Tab completion of `@user`, `#channel` and `/command` at the cursor, and of the user
/// after `/msg ` (with or without `@`); pressing Tab again cycles through the other matches.
public struct TabCompleter: Sendable {
    /// What can be completed.
    public struct Candidates: Sendable {
        /// User names, without `@`.
        public var users: [String]
        /// Channel names, without `#`.
        public var channels: [String]
        /// Command names, without `/`.
        public var commands: [String]

        /// Creates a candidate set.
        public init(users: [String], channels: [String], commands: [String]) {
            self.users = users
            self.channels = channels
            self.commands = commands
        }
    }

    private struct Cycle: Sendable {
        var start: Int
        var options: [String]
        var index: Int
        var insertedLength: Int
    }

    private var cycle: Cycle?

    /// Creates a completer.
    public init() {}

    /// Forgets the current cycle: any key other than Tab ends it.
    public mutating func reset() { cycle = nil }

    /// Completes the word before the cursor. Returns false when nothing matches.
    @discardableResult
    public mutating func complete(_ editor: inout LineEditor, candidates: Candidates) -> Bool {
        if var cycle, editor.cursor == cycle.start + cycle.insertedLength, cycle.options.count > 1 {
            cycle.index = (cycle.index + 1) % cycle.options.count
            let replacement = cycle.options[cycle.index]
            editor.replace(cycle.start..<(cycle.start + cycle.insertedLength), with: replacement)
            cycle.insertedLength = replacement.count
            self.cycle = cycle
            return true
        }
        var start = editor.cursor
        while start > 0, !editor.characters[start - 1].isWhitespace { start -= 1 }
        var word = String(editor.characters[start..<editor.cursor])
        if String(editor.characters[..<start]) == "/msg ", !word.hasPrefix("@") { word = "@" + word }
        guard let sigil = word.first else { return false }
        let pool: [String]
        switch sigil {
        case "@": pool = candidates.users
        case "#": pool = candidates.channels
        case "/" where start == 0: pool = candidates.commands
        default: return false
        }
        let prefix = word.dropFirst().lowercased()
        let options = pool.filter { $0.lowercased().hasPrefix(prefix) }
            .sorted { $0.lowercased() < $1.lowercased() }
            .map { "\(sigil)\($0) " }
        guard let first = options.first else { return false }
        editor.replace(start..<editor.cursor, with: first)
        cycle = Cycle(start: start, options: options, index: 0, insertedLength: first.count)
        return true
    }
}
