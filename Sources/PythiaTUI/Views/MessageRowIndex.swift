/// Where each row of the message pane lies: for the newest messages of a list — as far up
/// as the pane has been scrolled — each message's row count and the rows below it, so a
/// frame finds its first visible message by binary search and lays out only what it shows.
///
/// Entries run newest first, so scrolling further up appends. A new list (a new snapshot)
/// is matched against the entries by id from the oldest entry down: messages added, removed
/// or changed (another stamp) are laid out again, the others keep their counts, and day
/// separators and row sums are recounted. A list whose oldest entry cannot be found where an
/// append or a prepend would have put it (another channel) starts the index afresh.
final class MessageRowIndex {
    private struct Entry {
        var stamp: MessageStamp
        /// The message's own rows.
        var rows: Int
        /// Its local day number, to place day separators.
        var day: Int
        /// Whether a day separator goes above it.
        var separated = false

        var height: Int { rows + (separated ? 1 : 0) }
    }

    /// The list indexed.
    private(set) var messages = MessageList.empty
    /// Newest first.
    private var entries: [Entry] = []
    /// `below[j]`: the rows of entries `0..<j`; one longer than `entries`.
    private var below = [0]

    /// How many of the newest messages are indexed.
    var count: Int { entries.count }
    /// The rows of the indexed messages, day separators included.
    var coveredRows: Int { below[entries.count] }
    /// Whether every message of the list is indexed.
    var isComplete: Bool { entries.count == messages.count }

    /// The list position of entry `entry` (0 is the newest message).
    func position(ofEntry entry: Int) -> Int { messages.count - 1 - entry }
    /// The stamp of entry `entry`.
    func stamp(ofEntry entry: Int) -> MessageStamp { entries[entry].stamp }
    /// Whether a day separator goes above entry `entry`.
    func isSeparated(_ entry: Int) -> Bool { entries[entry].separated }
    /// The rows below entry `entry`.
    func rowsBelow(_ entry: Int) -> Int { below[entry] }

    /// The entry holding row `row` counted from the bottom (0 is the last row), if indexed.
    func entry(atRow row: Int) -> Int? {
        guard row >= 0, row < coveredRows else { return nil }
        var lower = 0
        var upper = entries.count - 1
        while lower < upper {
            let middle = (lower + upper + 1) / 2
            if below[middle] <= row { lower = middle } else { upper = middle - 1 }
        }
        return lower
    }

    /// Brings the index up to date with `list`.
    func update(to list: MessageList, layout: MessageLayout) {
        guard !list.isSameList(as: messages) else { return }
        guard let oldest = entries.last else {
            messages = list
            return
        }
        // Where the oldest entry is now, after messages came or went below it or above it.
        let oldTop = messages.count - entries.count
        let top = [oldTop, oldTop + list.count - messages.count].first { position in
            position >= 0 && position < list.count && list.stamp(at: position).id == oldest.stamp.id
        }
        guard let top else {
            reset(to: list)
            return
        }
        var rebuilt: [Entry] = []
        rebuilt.reserveCapacity(list.count - top)
        var expected = entries.count - 1  // the old entry the next message should be
        var remaining: [String: Int]?  // the old entries' ids, once the two lists disagree
        for position in top..<list.count {
            let stamp = list.stamp(at: position)
            var match: Int?
            if expected >= 0, entries[expected].stamp.id == stamp.id {
                match = expected
            } else if expected >= 0 {
                if remaining == nil {
                    remaining = Dictionary(entries[0...expected].enumerated().map { ($1.stamp.id, $0) }, uniquingKeysWith: { first, _ in first })
                }
                match = remaining?[stamp.id].flatMap { $0 <= expected ? $0 : nil }
            }
            if let match {
                expected = match - 1
                if entries[match].stamp == stamp {
                    rebuilt.append(entries[match])
                    continue
                }
            }
            rebuilt.append(Entry(stamp: stamp, rows: layout.rowCount(of: stamp) { list[position] }, day: layout.day(of: stamp.createdAt)))
        }
        messages = list
        entries = rebuilt.reversed()
        below = [0]
        below.reserveCapacity(entries.count + 1)
        for entry in entries.indices {
            entries[entry].separated =
                entry + 1 < entries.count ? entries[entry].day != entries[entry + 1].day : separatorAbove(position(ofEntry: entry), day: entries[entry].day, layout: layout)
            below.append(below[entry] + entries[entry].height)
        }
    }

    /// Indexes older messages until `rows` rows are indexed or the list is.
    func extend(toRows rows: Int, layout: MessageLayout) {
        guard coveredRows < rows, !isComplete else { return }
        var stamp = messages.stamp(at: position(ofEntry: entries.count))
        while coveredRows < rows, !isComplete {
            let position = position(ofEntry: entries.count)
            let message = stamp
            var entry = Entry(stamp: message, rows: layout.rowCount(of: message) { self.messages[position] }, day: layout.day(of: message.createdAt))
            if position > 0 { stamp = messages.stamp(at: position - 1) }
            entry.separated = position == 0 || layout.day(of: stamp.createdAt) != entry.day
            below.append(coveredRows + entry.height)
            entries.append(entry)
        }
    }

    /// Whether the message at `position`, on local day `day`, starts a day: the first
    /// message does, any other one when the message above it is of another day.
    private func separatorAbove(_ position: Int, day: Int, layout: MessageLayout) -> Bool {
        position == 0 || layout.day(of: messages.stamp(at: position - 1).createdAt) != day
    }

    private func reset(to list: MessageList) {
        messages = list
        entries = []
        below = [0]
    }
}
