/// The message pane: the selected channel's messages, newest at the bottom, laid out from
/// the bottom up so only the visible messages (plus those scrolled past) are ever laid out.
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
        let needed = max(0, scrollOffset) + rect.rows
        var rows: [StyledText] = []  // newest first
        var index = messages.count - 1
        var next = index >= 0 ? messages[index] : nil
        while index >= 0, rows.count < needed {
            let message = next!
            let previous = index > 0 ? messages[index - 1] : nil
            rows.append(contentsOf: layout.rows(for: message, width: rect.columns, me: me, theme: theme).reversed())
            if layout.isNewDay(message.createdAt, after: previous?.createdAt) {
                rows.append(layout.daySeparator(for: message.createdAt, width: rect.columns, theme: theme))
            }
            next = previous
            index -= 1
        }
        let atTop = index < 0 && rows.count <= needed
        let offset = atTop ? max(0, min(scrollOffset, rows.count - rect.rows)) : max(0, scrollOffset)
        let visible = rows.dropFirst(offset).prefix(rect.rows)
        for (position, row) in visible.enumerated() {
            row.draw(in: &grid, row: rect.bottom - 1 - position, column: rect.column, limit: rect.right)
        }
        return Scroll(offset: offset, atTop: atTop)
    }
}
