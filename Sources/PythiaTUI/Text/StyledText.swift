import PythiaProtocol

/// Text with a style per run, laid out by display width.
public struct StyledText: Hashable, Sendable {
    /// A run of text in one style.
    public struct Run: Hashable, Sendable {
        /// The text.
        public var text: String
        /// Its style.
        public var style: CellStyle
    }

    /// The runs, in order.
    public private(set) var runs: [Run] = []

    /// Creates empty text.
    public init() {}

    /// Creates text in one style.
    public init(_ text: String, style: CellStyle) {
        append(text, style: style)
    }

    /// Appends a run.
    public mutating func append(_ text: String, style: CellStyle) {
        guard !text.isEmpty else { return }
        if let last = runs.last, last.style == style {
            runs[runs.count - 1].text += text
        } else {
            runs.append(Run(text: text, style: style))
        }
    }

    /// The columns this text occupies on one line.
    public var width: Int { runs.reduce(0) { $0 + DisplayWidth.of($1.text) } }

    /// Draws on one row of a grid from `column`, clipped at `limit`; returns the next column.
    @discardableResult
    public func draw(in grid: inout CellGrid, row: Int, column: Int, limit: Int) -> Int {
        var col = column
        for run in runs where col < limit {
            col = grid.draw(run.text, row: row, column: col, style: run.style, limit: limit)
        }
        return col
    }

    /// Breaks the text into lines of at most `width` columns: at spaces where possible,
    /// inside a word only when the word alone is longer than a line; `\n` always breaks.
    /// A space where a line breaks is dropped.
    public func wrapped(width: Int) -> [StyledText] {
        guard width > 0 else { return [] }
        var lines: [StyledText] = []
        var line: [(Character, CellStyle, Int)] = []
        var lineWidth = 0
        // Where the line may break: before this index, dropping the grapheme there if it is a space.
        var lastBreak: (index: Int, dropsSpace: Bool)?
        var softWrapped = false

        func flush(_ cells: ArraySlice<(Character, CellStyle, Int)>) {
            var text = StyledText()
            for (grapheme, style, _) in cells { text.append(String(grapheme), style: style) }
            lines.append(text)
        }

        for run in runs {
            for grapheme in run.text {
                if grapheme == "\n" || grapheme == "\r\n" {
                    flush(line[...])
                    line = []
                    lineWidth = 0
                    lastBreak = nil
                    softWrapped = false
                    continue
                }
                let printable = TerminalText.printable(grapheme)
                let graphemeWidth = DisplayWidth.of(grapheme)
                // Spaces break words; wide (CJK) text may break next to any of its graphemes.
                if printable != " ", graphemeWidth == 2 || line.last?.2 == 2 { lastBreak = (line.count, false) }
                while lineWidth + graphemeWidth > width, !line.isEmpty {
                    if let breakPoint = lastBreak, breakPoint.index > 0 || breakPoint.dropsSpace {
                        flush(line[..<breakPoint.index])
                        line.removeSubrange(..<(breakPoint.index + (breakPoint.dropsSpace ? 1 : 0)))
                    } else {
                        flush(line[...])
                        line = []
                    }
                    lineWidth = line.reduce(0) { $0 + $1.2 }
                    lastBreak = nil
                    softWrapped = true
                }
                if printable == " " && line.isEmpty && softWrapped { continue }
                softWrapped = false
                if printable == " " { lastBreak = (line.count, true) }
                line.append((printable, run.style, graphemeWidth))
                lineWidth += graphemeWidth
            }
        }
        if !line.isEmpty || lines.isEmpty { flush(line[...]) }
        return lines
    }
}
