/// What the message pane says when it has nothing to show: how to start when no channel is
/// selected, or that the channel shown has no messages yet.
struct PaneHint {
    /// The lines, each wrapped to the pane.
    var lines: [String]

    /// The hint for a snapshot, or nil when the pane has messages (or is still loading them).
    init?(_ snapshot: ChatSnapshot) {
        if let channel = snapshot.selectedChannel {
            guard snapshot.messages.isEmpty, !snapshot.hasOlderMessages else { return nil }
            lines = ["\(channel.isPrivate ? "*" : "#")\(channel.name) has no messages yet — type below to write the first."]
        } else if snapshot.channels.isEmpty {
            lines = [
                "You are in no channel yet. To start:",
                "",
                "  /create NAME   make a channel (--private: invited only)",
                "  /channels      browse the public channels, then /join #name",
                "  F1             every key and command",
            ]
        } else {
            lines = ["Pick a channel on the left (Alt-1…9, Ctrl-N/Ctrl-P), or press F1 for help."]
        }
    }

    /// Draws the lines from the pane's top left, a column in from its edge.
    func render(into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        guard rect.rows > 1, rect.columns > 2 else { return }
        let style = theme.style(.notice)
        var row = rect.row + 1
        for line in lines {
            let wrapped = line.isEmpty ? [StyledText()] : StyledText(line, style: style).wrapped(width: rect.columns - 2)
            for part in wrapped where row < rect.bottom {
                part.draw(in: &grid, row: row, column: rect.column + 1, limit: rect.right)
                row += 1
            }
        }
    }
}
