/// The whole screen: channel list | message pane | member pane (F2, from 100 columns), then
/// the typing line, the status bar and the input line — or, below 60×15, one line saying
/// the terminal is too small.
public struct ChatScreen {
    /// The smallest terminal the layout supports.
    public static let minimumSize = TerminalSize(rows: 15, columns: 60)
    /// The most rows the input line grows to.
    public static let maxInputRows = 5

    /// Where each view goes.
    public struct Regions: Hashable, Sendable {
        public var channelList: Rect
        public var messages: Rect
        public var typing: Rect
        public var status: Rect
        public var input: Rect
        /// The member pane, when shown.
        public var members: Rect?
    }

    /// What the frame showed, for the app to act on.
    public struct Frame {
        /// The cells.
        public var grid: CellGrid
        /// Where the cursor goes.
        public var cursor: CursorPosition?
        /// The message pane's scroll position after clamping.
        public var scroll: MessagePane.Scroll
        /// The regions used (nil when the terminal is too small).
        public var regions: Regions?
    }

    /// The chat state shown.
    public var snapshot: ChatSnapshot
    /// The input being typed.
    public var editor: LineEditor
    /// Rows scrolled up in the message pane.
    public var scrollOffset: Int
    /// An inline notice for the typing line.
    public var notice: TypingLine.Notice?
    /// An overlay over the message pane.
    public var overlay: Overlay?
    /// Search hits over the message pane (under `overlay`).
    public var search: SearchOverlay?
    /// The message a search hit jumped to.
    public var marked: MessagePane.Mark?
    /// Whether the member pane is asked for (F2); it shows only where there is room.
    public var showsMembers: Bool

    /// Creates the screen.
    public init(
        snapshot: ChatSnapshot, editor: LineEditor = LineEditor(), scrollOffset: Int = 0, notice: TypingLine.Notice? = nil,
        overlay: Overlay? = nil, search: SearchOverlay? = nil, marked: MessagePane.Mark? = nil, showsMembers: Bool = false
    ) {
        self.snapshot = snapshot
        self.editor = editor
        self.scrollOffset = scrollOffset
        self.notice = notice
        self.overlay = overlay
        self.search = search
        self.marked = marked
        self.showsMembers = showsMembers
    }

    var inputLine: InputLine {
        let prompt = snapshot.selectedChannel.map { "\($0.label)> " } ?? "> "
        return InputLine(prompt: DisplayWidth.truncate(prompt, toColumns: 24), editor: editor)
    }

    /// The regions for a terminal size.
    public func regions(for size: TerminalSize) -> Regions? {
        guard size.rows >= Self.minimumSize.rows, size.columns >= Self.minimumSize.columns else { return nil }
        let inputRows = inputLine.height(width: size.columns, limit: Self.maxInputRows)
        let listWidth = min(26, max(16, size.columns / 5))
        // Channel list and message pane, then the status bar, then the input line down to the last row.
        let upper = size.rows - 1 - inputRows
        let memberWidth = showsMembers && snapshot.selectedChannelID != nil && size.columns >= MemberPane.minimumTerminalColumns ? MemberPane.width : 0
        let middle = size.columns - listWidth - memberWidth
        return Regions(
            channelList: Rect(row: 0, column: 0, rows: upper, columns: listWidth),
            messages: Rect(row: 0, column: listWidth, rows: upper - 1, columns: middle),
            typing: Rect(row: upper - 1, column: listWidth, rows: 1, columns: middle),
            status: Rect(row: upper, column: 0, rows: 1, columns: size.columns),
            input: Rect(row: upper + 1, column: 0, rows: inputRows, columns: size.columns),
            members: memberWidth > 0 ? Rect(row: 0, column: listWidth + middle, rows: upper, columns: memberWidth) : nil
        )
    }

    /// Renders a frame of a size.
    public func render(size: TerminalSize, theme: Theme, layout: MessageLayout) -> Frame {
        var grid = CellGrid(size: size)
        guard let regions = regions(for: size) else {
            let message = StyledText("pythia-chat needs a terminal of at least \(Self.minimumSize) — this one is \(size)", style: theme.style(.error))
            for (row, line) in message.wrapped(width: max(1, size.columns)).prefix(size.rows).enumerated() {
                line.draw(in: &grid, row: row, column: 0, limit: size.columns)
            }
            return Frame(grid: grid, cursor: nil, scroll: MessagePane.Scroll(offset: scrollOffset, atTop: false), regions: nil)
        }
        ChannelList(channels: snapshot.channels, selectedID: snapshot.selectedChannelID)
            .render(into: &grid, in: regions.channelList, theme: theme)
        let scroll = MessagePane(messages: snapshot.messages, me: snapshot.me, scrollOffset: scrollOffset, marked: marked)
            .render(into: &grid, in: regions.messages, theme: theme, layout: layout)
        if let hint = PaneHint(snapshot) { hint.render(into: &grid, in: regions.messages, theme: theme) }
        search?.render(into: &grid, in: regions.messages, theme: theme, layout: layout)
        overlay?.render(into: &grid, in: regions.messages, theme: theme)
        if let pane = regions.members { MemberPane(members: snapshot.members).render(into: &grid, in: pane, theme: theme) }
        TypingLine(typing: snapshot.typing, notice: notice).render(into: &grid, in: regions.typing, theme: theme)
        StatusBar(
            me: snapshot.me, server: snapshot.server, leftWidth: regions.channelList.columns, channel: snapshot.selectedChannel,
            connection: snapshot.connection, serverInUse: snapshot.serverInUse, isScrolledUp: scroll.offset > 0)
            .render(into: &grid, in: regions.status, theme: theme)
        let cursor = inputLine.render(into: &grid, in: regions.input, theme: theme)
        return Frame(grid: grid, cursor: cursor, scroll: scroll, regions: regions)
    }
}
