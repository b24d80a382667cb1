/// The message pane: the selected channel's messages, newest at the bottom. The layout's row
/// index says which messages the scroll offset shows, so a frame lays out only those.
public struct MessagePane {
    /// What rendering found out about scrolling.
    public struct Scroll: Hashable, Sendable {
        /// The offset actually used (rows from the bottom), clamped to the history held.
        public var offset: Int
        /// Whether the oldest message held is on screen: PgUp should load older history.
        public var atTop: Bool
    }

    /// The messages, oldest first.
    public var messages: MessageList
    /// My user name.
    public var me: String
    /// How many rows the view is scrolled up from the newest message.
    public var scrollOffset: Int

    /// Creates the pane.
    public init(messages: MessageList, me: String, scrollOffset: Int) {
        self.messages = messages
        self.me = me
        self.scrollOffset = scrollOffset
    }

    /// Draws the pane and reports the scroll position.
    @discardableResult
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme, layout: MessageLayout) -> Scroll {
        let base = theme.style(.messageText)
        for row in rect.row..<rect.bottom { grid.fill(row: row, column: rect.column, count: rect.columns, style: base) }
        guard rect.rows > 0, rect.columns > 0 else { return Scroll(offset: 0, atTop: true) }
        let index = layout.rowIndex(for: messages, width: rect.columns, me: me, theme: theme)
        let needed = max(0, scrollOffset) + rect.rows
        index.extend(toRows: needed, layout: layout)
        let total = index.coveredRows
        let atTop = index.isComplete && total <= needed
        let offset = atTop ? max(0, min(scrollOffset, total - rect.rows)) : max(0, scrollOffset)
        guard var entry = index.entry(atRow: offset) else { return Scroll(offset: offset, atTop: atTop) }
        // Rows are drawn from the bottom up, starting inside the entry that holds `offset`.
        var skip = offset - index.rowsBelow(entry)
        var screenRow = rect.bottom - 1
        func emit(_ row: StyledText) {
            if skip > 0 {
                skip -= 1
                return
            }
            row.draw(in: &grid, row: screenRow, column: rect.column, limit: rect.right)
            screenRow -= 1
        }
        while screenRow >= rect.row, entry < index.count {
            let position = index.position(ofEntry: entry)
            let stamp = index.stamp(ofEntry: entry)
            for row in layout.rows(of: stamp, message: { messages[position] }).reversed() where screenRow >= rect.row {
                emit(row)
            }
            if index.isSeparated(entry), screenRow >= rect.row {
                emit(layout.daySeparator(for: stamp.createdAt, width: rect.columns, theme: theme))
            }
            entry += 1
        }
        return Scroll(offset: offset, atTop: atTop)
    }
}
