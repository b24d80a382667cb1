public import Foundation

/// The hits of a search (`/search WORDS`, Ctrl-R), drawn over the message pane: channel,
/// author, time and text with the matched words highlighted. Up/Down move, Enter jumps to
/// the message, Esc closes.
public struct SearchOverlay: Hashable, Sendable {
    /// One message found.
    public struct Hit: Hashable, Sendable {
        /// The message's id.
        public var messageID: String
        /// Its channel's id.
        public var channelID: String
        /// Its channel as the channel list names it: `#general`, `*ops`, `@bob`.
        public var channel: String
        /// Its author's name.
        public var author: String
        /// When it was posted.
        public var createdAt: Date
        /// Its text.
        public var content: String
        /// The matched words, as character ranges of `content`.
        public var highlights: [Range<Int>]

        /// Creates a hit.
        public init(
            messageID: String, channelID: String, channel: String, author: String, createdAt: Date, content: String,
            highlights: [Range<Int>]
        ) {
            self.messageID = messageID
            self.channelID = channelID
            self.channel = channel
            self.author = author
            self.createdAt = createdAt
            self.content = content
            self.highlights = highlights
        }
    }

    /// What was searched for.
    public var query: String
    /// The hits, newest first.
    public var hits: [Hit]
    /// Whether the server had no search and only the history held here was searched.
    public var searchedLocally: Bool
    /// The hit Enter jumps to.
    public private(set) var selected = 0
    /// The first hit shown.
    public private(set) var offset = 0

    /// Creates the overlay with the first hit selected.
    public init(query: String, hits: [Hit], searchedLocally: Bool) {
        self.query = query
        self.hits = hits
        self.searchedLocally = searchedLocally
    }

    /// The title on the top border: what was searched, where, and the keys.
    public var title: String {
        let found = hits.count == 1 ? "1 hit" : "\(hits.count) hits"
        let scope = searchedLocally ? " in local history only (the server has no search)" : ""
        return "Search “\(query)” — \(found)\(scope) — ↑↓ move, Enter jumps, Esc closes"
    }

    /// The selected hit.
    public var selectedHit: Hit? { hits.indices.contains(selected) ? hits[selected] : nil }

    /// Moves the selection by `delta` hits, keeping it among the `visibleRows` shown.
    public mutating func move(by delta: Int, visibleRows: Int) {
        guard !hits.isEmpty else { return }
        selected = max(0, min(hits.count - 1, selected + delta))
        if selected < offset { offset = selected }
        if selected >= offset + visibleRows { offset = selected - visibleRows + 1 }
    }

    /// Draws the box over `rect`: one line per hit, the selected one in `search_selected`,
    /// matched words in `search_match`.
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme, layout: MessageLayout) {
        let lines = hits.isEmpty ? ["(no message matches every word)"] : []
        Overlay(title: title, lines: lines).render(into: &grid, in: rect, theme: theme)
        let content = Overlay.contentRect(in: rect)
        let channelWidth = min(16, hits.map { DisplayWidth.of($0.channel) }.max() ?? 0)
        let authorWidth = min(16, hits.map { DisplayWidth.of($0.author) }.max() ?? 0)
        for (row, index) in hits.indices.dropFirst(offset).prefix(content.rows).enumerated() {
            let hit = hits[index]
            let base = theme.style(index == selected ? .searchSelected : .helpOverlay)
            let match = theme.style(.searchMatch)
            grid.fill(row: content.row + row, column: content.column, count: content.columns, style: base)
            var line = StyledText()
            line.append(Self.padded(hit.channel, to: channelWidth) + "  ", style: base)
            line.append(Self.padded(hit.author, to: authorWidth) + "  ", style: base)
            line.append(layout.clock(hit.createdAt) + "  ", style: base)
            var start = 0
            let characters = Array(hit.content.replacingNewlines())
            for range in hit.highlights where range.lowerBound >= start && range.upperBound <= characters.count {
                line.append(String(characters[start..<range.lowerBound]), style: base)
                line.append(String(characters[range]), style: match)
                start = range.upperBound
            }
            line.append(String(characters[start...]), style: base)
            line.draw(in: &grid, row: content.row + row, column: content.column, limit: content.right)
        }
    }

    private static func padded(_ text: String, to width: Int) -> String {
        let cut = DisplayWidth.truncate(text, toColumns: width)
        return cut + String(repeating: " ", count: max(0, width - DisplayWidth.of(cut)))
    }
}
