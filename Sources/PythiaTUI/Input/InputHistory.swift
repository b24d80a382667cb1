/// Lines the user submitted, browsed with Up/Down like a shell's history.
public struct InputHistory: Hashable, Sendable {
    /// The most entries kept.
    public static let capacity = 500

    /// Entries, oldest first.
    public private(set) var entries: [String] = []
    private var position: Int?
    private var draft = ""

    /// Creates an empty history.
    public init() {}

    /// Adds a submitted line (blank lines and immediate repeats are not kept) and ends browsing.
    public mutating func record(_ line: String) {
        position = nil
        guard !line.allSatisfy(\.isWhitespace), entries.last != line else { return }
        entries.append(line)
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// The entry before the one shown; `draft` is what the editor holds, restored by `next()`.
    public mutating func previous(draft current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        guard let position else {
            draft = current
            self.position = entries.count - 1
            return entries.last
        }
        guard position > 0 else { return nil }
        self.position = position - 1
        return entries[position - 1]
    }

    /// The entry after the one shown, or the saved draft after the newest entry.
    public mutating func next() -> String? {
        guard let position else { return nil }
        if position + 1 < entries.count {
            self.position = position + 1
            return entries[position + 1]
        }
        self.position = nil
        return draft
    }
}
