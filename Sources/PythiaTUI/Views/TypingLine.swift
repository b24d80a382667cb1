/// The row above the status bar: who is typing, or a notice (an inline error, an answer).
public struct TypingLine: Sendable {
    /// A one-line message replacing the typing line until the next key.
    public struct Notice: Hashable, Sendable {
        /// The text.
        public var text: String
        /// Whether it reports a problem.
        public var isError: Bool

        /// Creates a notice.
        public init(_ text: String, isError: Bool) {
            self.text = text
            self.isError = isError
        }
    }

    /// Who is typing.
    public var typing: [String]
    /// A notice, shown instead of the typing names.
    public var notice: Notice?

    /// Creates the line.
    public init(typing: [String], notice: Notice? = nil) {
        self.typing = typing
        self.notice = notice
    }

    /// "alice is typing…", "alice and bob are typing…", "several people are typing…".
    public static func words(for names: [String]) -> String {
        switch names.count {
        case 0: return ""
        case 1: return "\(names[0]) is typing…"
        case 2: return "\(names[0]) and \(names[1]) are typing…"
        default: return "several people are typing…"
        }
    }

    /// Draws the line.
    public func render(into grid: inout CellGrid, in rect: Rect, theme: Theme) {
        let style: CellStyle
        let text: String
        if let notice {
            style = theme.style(notice.isError ? .error : .notice)
            text = notice.text
        } else {
            style = theme.style(.typingLine)
            text = Self.words(for: typing)
        }
        grid.fill(row: rect.row, column: rect.column, count: rect.columns, style: theme.style(.messageText))
        grid.draw(DisplayWidth.truncate(" " + text.replacingNewlines(), toColumns: rect.columns), row: rect.row, column: rect.column, style: style, limit: rect.right)
    }
}

extension String {
    /// The text on one line: newlines become spaces.
    func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r\n" ? " " : $0 })
    }
}
