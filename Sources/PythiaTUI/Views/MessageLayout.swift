public import Foundation
import PythiaProtocol

/// Lays one message out as screen rows for a given width: `HH:MM name text…` with wrapped
/// lines indented under the text, then a reactions line. Layouts are cached by message
/// content and width, so redrawing costs only the rows that changed.
public final class MessageLayout {
    /// The width of `HH:MM `.
    public static let gutter = 6

    private struct CacheKey: Hashable {
        var message: DisplayMessage
        var width: Int
        var theme: String
    }

    private var cache: [CacheKey: [StyledText]] = [:]
    private let calendar: Calendar
    private let dayFormatter: DateFormatter
    private var me = ""

    /// Creates a layout for a time zone (the local one in the app, a fixed one in tests).
    public init(timeZone: TimeZone = .current) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        dayFormatter = DateFormatter()
        dayFormatter.locale = Locale(identifier: "en_US_POSIX")
        dayFormatter.timeZone = timeZone
        dayFormatter.dateFormat = "EEEE d MMMM yyyy"
    }

    /// How many layouts are cached (a bounded number).
    public var cachedCount: Int { cache.count }

    /// The rows of a message at a width; `me` decides which mentions are highlighted.
    public func rows(for message: DisplayMessage, width: Int, me: String, theme: Theme) -> [StyledText] {
        if me != self.me {
            cache.removeAll()
            self.me = me
        }
        let key = CacheKey(message: message, width: width, theme: theme.name)
        if let rows = cache[key] { return rows }
        if cache.count > 4096 { cache.removeAll(keepingCapacity: true) }
        let rows = layout(message, width: width, theme: theme)
        cache[key] = rows
        return rows
    }

    /// Whether two dates fall on different days, so a day separator goes between them.
    public func isNewDay(_ date: Date, after previous: Date?) -> Bool {
        guard let previous else { return true }
        return !calendar.isDate(date, inSameDayAs: previous)
    }

    /// The `── Thursday 26 November 2026 ──` row.
    public func daySeparator(for date: Date, width: Int, theme: Theme) -> StyledText {
        let label = " \(dayFormatter.string(from: date)) "
        let dashes = max(0, width - DisplayWidth.of(label))
        let left = String(repeating: "─", count: min(2, dashes))
        let right = String(repeating: "─", count: max(0, dashes - left.count))
        return StyledText(left + label + right, style: theme.style(.daySeparator))
    }

    /// `HH:MM` in the layout's time zone.
    public func clock(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let pad = { (value: Int?) in value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "--" }
        return "\(pad(parts.hour)):\(pad(parts.minute))"
    }

    private func layout(_ message: DisplayMessage, width: Int, theme: Theme) -> [StyledText] {
        let textStyle = theme.style(message.isMine ? .ownMessage : .messageText)
        var body = StyledText(message.author, style: message.isMine ? theme.style(.ownName) : theme.nameStyle(forUser: message.author))
        body.append(" ", style: textStyle)
        appendContent(message.content, to: &body, style: textStyle, highlight: message.isMine ? nil : me, theme: theme)
        if message.isEdited { body.append(" (edited)", style: theme.style(.editedMarker)) }
        switch message.delivery {
        case .delivered: break
        case .pending: body.append(" (sending…)", style: theme.style(.pendingMarker))
        case .failed(let reason): body.append(" (not sent: \(reason))", style: theme.style(.failedMarker))
        }
        let bodyWidth = max(1, width - Self.gutter)
        let indent = String(repeating: " ", count: Self.gutter)
        var rows: [StyledText] = []
        for (index, line) in body.wrapped(width: bodyWidth).enumerated() {
            var row = StyledText(index == 0 ? clock(message.createdAt) + " " : indent, style: theme.style(.timestamp))
            for run in line.runs { row.append(run.text, style: run.style) }
            rows.append(row)
        }
        if !message.reactions.isEmpty {
            var line = StyledText()
            for (index, reaction) in message.reactions.enumerated() {
                if index > 0 { line.append("  ", style: theme.style(.reactions)) }
                let style = reaction.mine ? theme.style(.reactions).adding(.bold) : theme.style(.reactions)
                line.append("\(reaction.emoji) \(reaction.count)", style: style)
            }
            for wrapped in line.wrapped(width: bodyWidth) {
                var row = StyledText(indent, style: theme.style(.timestamp))
                for run in wrapped.runs { row.append(run.text, style: run.style) }
                rows.append(row)
            }
        }
        return rows
    }

    /// The content, with mentions of `highlight` (case-insensitive) in the mention style.
    private func appendContent(_ content: String, to text: inout StyledText, style: CellStyle, highlight: String?, theme: Theme) {
        let scalars = content.unicodeScalars
        var position = scalars.startIndex
        if let highlight {
            for match in Mentions.matches(in: content) where match.username.lowercased() == highlight.lowercased() {
                text.append(String(scalars[position..<match.range.lowerBound]), style: style)
                text.append(String(scalars[match.range]), style: theme.style(.mention))
                position = match.range.upperBound
            }
        }
        text.append(String(scalars[position...]), style: style)
    }
}
