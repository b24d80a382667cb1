/// The message pane: the selected channel's messages, newest at the bottom. The layout's row
/// index says which messages the scroll offset shows, so a frame lays out only those.
public struct MessagePane {
    /// What rendering found out about scrolling.
    public struct Scroll: Hashable, Sendable {
        /// The offset actually used (rows from the bottom), clamped to the history held.
        public var offset: Int
        /// Whether the oldest message held is on screen: PgUp should load older history.
        public var atTop: Bool
        /// Whether the offset was chosen to bring the marked message into view.
        public var revealedMark = false
    }

    /// A message shown marked (a search hit jumped to).
    public struct Mark: Hashable, Sendable {
        /// The message's id.
        public var messageID: String
        /// Its channel's id.
        public var channelID: String
        /// Whether the next frame that holds it scrolls it to the middle of the pane.
        public var reveal = true

        /// Creates a mark that asks to be revealed.
        public init(messageID: String, channelID: String) {
            self.messageID = messageID
            self.channelID = channelID
        }
    }

    /// The messages, oldest first.
    public var messages: MessageList
    /// My user name.
    public var me: String
    /// How many rows the view is scrolled up from the newest message.
    public var scrollOffset: Int
    /// The message drawn marked.
    public var marked: Mark?

    /// Creates the pane.
    public init(messages: MessageList, me: String, scrollOffset: Int, marked: Mark? = nil) {
        self.messages = messages
        self.me = me
        self.scrollOffset = scrollOffset
        self.marked = marked
    }

    /// Draws the pane and reports the scroll position.
    @discardableResult
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme, layout: MessageLayout) -> Scroll {
        let base = theme.style(.messageText)
        for row in rect.row..<rect.bottom { grid.fill(row: row, column: rect.column, count: rect.columns, style: base) }
        guard rect.rows > 0, rect.columns > 0 else { return Scroll(offset: 0, atTop: true) }
        let index = layout.rowIndex(for: messages, width: rect.columns, me: me, theme: theme)
        let markedPosition = marked.flatMap { mark in messages.lastIndex { $0.id == mark.messageID } }
        var scrollOffset = self.scrollOffset
        var revealed = false
        if let markedPosition, marked?.reveal == true {
            // Index down to the marked message, then centre it.
            let entry = messages.count - 1 - markedPosition
            while index.count <= entry, !index.isComplete { index.extend(toRows: index.coveredRows + rect.rows, layout: layout) }
            if index.count > entry {
                scrollOffset = max(0, index.rowsBelow(entry) - rect.rows / 2)
                revealed = true
            }
        }
        let needed = max(0, scrollOffset) + rect.rows
        index.extend(toRows: needed, layout: layout)
        let total = index.coveredRows
        let atTop = index.isComplete && total <= needed
        let offset = atTop ? max(0, min(scrollOffset, total - rect.rows)) : max(0, scrollOffset)
        guard var entry = index.entry(atRow: offset) else { return Scroll(offset: offset, atTop: atTop, revealedMark: revealed) }
        let markStyle = theme.style(.searchSelected)
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
                if position == markedPosition {
                    var markedRow = StyledText()
                    for run in row.runs { markedRow.append(run.text, style: markStyle) }
                    if skip == 0 { grid.fill(row: screenRow, column: rect.column, count: rect.columns, style: markStyle) }
                    emit(markedRow)
                } else {
                    emit(row)
                }
            }
            if index.isSeparated(entry), screenRow >= rect.row {
                emit(layout.daySeparator(for: stamp.createdAt, width: rect.columns, theme: theme))
            }
            entry += 1
        }
        return Scroll(offset: offset, atTop: atTop, revealedMark: revealed)
    }
}
