public import Foundation
import PythiaProtocol

/// Lays one message out as screen rows for a given width: `HH:MM name text…` with wrapped
/// lines indented under the text, then a reactions line. It keeps the pane's state between
/// frames: layouts cached by message stamp, and the row index of the list shown, both for
/// one width, user and theme at a time.
public final class MessageLayout {
    /// The width of `HH:MM `.
    public static let gutter = 6
    /// The most layouts kept; the cache starts over beyond it.
    static let cacheLimit = 4096

    /// What every cached layout and the row index depend on besides the messages.
    private struct Parameters: Equatable {
        var width: Int
        var me: String
        var theme: String
    }

    private var parameters = Parameters(width: 0, me: "", theme: "")
    private var theme = Theme.fallback
    private var cache: [MessageStamp: [StyledText]] = [:]
    private var index = MessageRowIndex()
    private let calendar: Calendar
    private let timeZone: TimeZone
    private let dayFormatter: DateFormatter

    /// Creates a layout for a time zone (the local one in the app, a fixed one in tests).
    public init(timeZone: TimeZone = .current) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        self.timeZone = timeZone
        dayFormatter = DateFormatter()
        dayFormatter.locale = Locale(identifier: "en_US_POSIX")
        dayFormatter.timeZone = timeZone
        dayFormatter.dateFormat = "EEEE d MMMM yyyy"
    }

    /// How many layouts are cached (a bounded number).
    public var cachedCount: Int { cache.count }

    /// The row index of `messages` for a pane `width` columns wide, brought up to date; the
    /// layouts that follow (`rows(of:message:)`) are for the same width, user and theme.
    func rowIndex(for messages: MessageList, width: Int, me: String, theme: Theme) -> MessageRowIndex {
        let wanted = Parameters(width: width, me: me, theme: theme.name)
        if wanted != parameters {
            parameters = wanted
            self.theme = theme
            cache.removeAll()
            index = MessageRowIndex()
        }
        index.update(to: messages, layout: self)
        return index
    }

    /// The rows of the message stamped `stamp`, laid out by reading `message` only when not cached.
    func rows(of stamp: MessageStamp, message: () -> DisplayMessage) -> [StyledText] {
        if let rows = cache[stamp] { return rows }
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        let rows = layout(message(), width: parameters.width, theme: theme)
        cache[stamp] = rows
        return rows
    }

    /// How many rows the message stamped `stamp` takes.
    func rowCount(of stamp: MessageStamp, message: () -> DisplayMessage) -> Int {
        rows(of: stamp, message: message).count
    }

    /// The local day of a date as a day number: two dates on the same day in the layout's
    /// time zone have the same number, and a day separator goes between different ones.
    public func day(of date: Date) -> Int {
        let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        return Int((local / 86_400).rounded(.down))
    }

    /// The `── Thursday 26 November 2026 ──` row.
    public func daySeparator(for date: Date, width: Int, theme: Theme) -> StyledText {
        let label = " \(dayFormatter.string(from: date)) "
        let dashes = max(0, width - DisplayWidth.of(label))
        let left = String(repeating: "─", count: min(2, dashes))
        let right = String(repeating: "─", count: max(0, dashes - left.count))
        return StyledText(left + label + right, style: theme.style(.daySeparator))
    }

    /// The `── new ──` line above the first message not read yet, across the pane.
    func readMarker(width: Int, theme: Theme) -> StyledText {
        let label = " new "
        let dashes = max(0, width - DisplayWidth.of(label))
        let left = String(repeating: "─", count: min(2, dashes))
        return StyledText(left + label + String(repeating: "─", count: max(0, dashes - left.count)), style: theme.style(.mention))
    }

    /// `HH:MM` in the layout's time zone.
    public func clock(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let pad = { (value: Int?) in value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "--" }
        return "\(pad(parts.hour)):\(pad(parts.minute))"
    }

    private func layout(_ message: DisplayMessage, width: Int, theme: Theme) -> [StyledText] {
        let me = parameters.me
        let textStyle = theme.style(message.isMine ? .ownMessage : .messageText)
        var body = StyledText(message.author, style: message.isMine ? theme.style(.ownName) : theme.nameStyle(forUser: message.author))
        body.append(" ", style: textStyle)
        appendContent(message.content, to: &body, style: textStyle, highlight: message.isMine ? nil : me, theme: theme)
        if message.isEdited { body.append(" (edited)", style: theme.style(.editedMarker)) }
        switch message.delivery {
        case .delivered: break
        case .pending: body.append(" (sending…)", style: theme.style(.pendingMarker))
        case .failed(let reason): body.append(" (not sent: \(reason) — /retry or /discard)", style: theme.style(.failedMarker))
        }
        let bodyWidth = max(1, width - Self.gutter)
        let indent = String(repeating: " ", count: Self.gutter)
        var rows: [StyledText] = []
        if message.isFirstUnread { rows.append(readMarker(width: width, theme: theme)) }
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
    /// Mentions are found by scalars: one ending inside a grapheme (`@carol` and a combining
    /// accent) takes the whole grapheme, or the accent would begin a run alone and vanish.
    private func appendContent(_ content: String, to text: inout StyledText, style: CellStyle, highlight: String?, theme: Theme) {
        let scalars = content.unicodeScalars
        var position = scalars.startIndex
        if let highlight {
            for match in Mentions.matches(in: content) where match.username.lowercased() == highlight.lowercased() {
                let start = max(position, match.range.lowerBound)
                var end = match.range.upperBound
                while end < scalars.endIndex, end.samePosition(in: content) == nil { end = scalars.index(after: end) }
                text.append(String(scalars[position..<start]), style: style)
                text.append(String(scalars[start..<end]), style: theme.style(.mention))
                position = end
            }
        }
        text.append(String(scalars[position...]), style: style)
    }
}
