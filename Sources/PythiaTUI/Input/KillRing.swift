/// Text removed by Ctrl-K/U/W, for Ctrl-Y to put back.
struct KillRing: Hashable, Sendable {
    static let capacity = 20
    private var entries: [String] = []

    /// The most recent kill.
    var latest: String? { entries.last }

    mutating func push(_ text: String) {
        entries.append(text)
        if entries.count > Self.capacity { entries.removeFirst() }
    }
}
