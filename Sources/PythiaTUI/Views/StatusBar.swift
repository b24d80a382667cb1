/// The status bar: `user@server │ #channel — description`, and the connection state in
/// words on the right — followed, with several servers, by the one in use
/// (`connected · b:8001`). Its first cell is as wide as the channel list, so its `│` continues
/// the list's border.
public struct StatusBar: Sendable {
    /// My user name.
    public var me: String
    /// The server.
    public var server: String
    /// The width of the `user@server` cell with its `│` (the channel list's width).
    public var leftWidth: Int
    /// The selected channel.
    public var channel: ChannelSummary?
    /// The connection state.
    public var connection: ConnectionStatus
    /// With several servers: the one in use (`host:port`), shown after the state.
    public var serverInUse: String?
    /// Whether the pane is scrolled up (shown as a hint).
    public var isScrolledUp: Bool

    /// Creates the bar.
    public init(
        me: String, server: String, leftWidth: Int, channel: ChannelSummary?, connection: ConnectionStatus,
        serverInUse: String? = nil, isScrolledUp: Bool = false
    ) {
        self.me = me
        self.server = server
        self.leftWidth = leftWidth
        self.channel = channel
        self.connection = connection
        self.serverInUse = serverInUse
        self.isScrolledUp = isScrolledUp
    }

    /// Draws the bar. The connection state always shows in full; the rest is truncated.
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        let base = theme.style(.statusBar)
        grid.fill(row: rect.row, column: rect.column, count: rect.columns, style: base)
        let state = " \(connection.words)\(serverInUse.map { " · \($0)" } ?? "") "
        let stateWidth = min(rect.columns, DisplayWidth.of(state))
        // The cell: a space, `user@server` cut with `…` to leave a space before the `│`.
        let account = DisplayWidth.truncate(" \(me)@\(server)".replacingNewlines(), toColumns: max(1, leftWidth - 2))
        var left = account + String(repeating: " ", count: max(1, leftWidth - 1 - DisplayWidth.of(account))) + "│"
        if let channel {
            left += " \(channel.label)"
            if !channel.description.isEmpty { left += " — \(channel.description)" }
        }
        if isScrolledUp { left += " │ scrolled up (Esc: newest)" }
        let room = rect.columns - stateWidth - 1
        if room > 0 {
            grid.draw(DisplayWidth.truncate(left.replacingNewlines(), toColumns: room), row: rect.row, column: rect.column, style: base, limit: rect.column + room)
        }
        grid.draw(DisplayWidth.truncate(state, toColumns: stateWidth), row: rect.row, column: rect.right - stateWidth, style: theme.style(connection.role), limit: rect.right)
    }
}
