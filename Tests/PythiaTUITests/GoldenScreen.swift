import Foundation
import Testing

@testable import PythiaTUI

/// A whole screen kept in a file under `Golden/`: the text of every row, then one letter per
/// cell naming its style (by theme role where a role has that style), then the letters' key.
/// `expect` compares a frame with its file cell by cell and, on a difference, records an
/// issue showing the rows that differ and which cells' styles do (and checks that ncurses
/// can hold every cell, `CursesCellCheck`); with
/// `PYTHIA_RECORD_GOLDEN=1` it writes the file instead.
struct GoldenScreen: Equatable {
    /// The folder of the golden files.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    /// Whether this run re-records golden files rather than comparing with them.
    static var isRecording: Bool { ProcessInfo.processInfo.environment["PYTHIA_RECORD_GOLDEN"] == "1" }

    /// The size, as `COLUMNSxROWS`, and the cursor, as the first line of the file says.
    var header: String
    /// Each row's text, trailing blanks trimmed.
    var rows: [String]
    /// Each row's cells' style names.
    var styles: [[String]]

    /// The screen a frame shows, its styles named after the roles of `theme`.
    init(_ frame: ChatScreen.Frame, theme: Theme) {
        let grid = frame.grid
        let cursor = frame.cursor.map { "cursor \($0.row),\($0.column)" } ?? "no cursor"
        header = "\(grid.size.columns)x\(grid.size.rows), \(cursor)"
        rows = grid.lines
        styles = (0..<grid.size.rows).map { row in grid.row(row).map { Self.name(of: $0.style, in: theme) } }
    }

    /// Reads a golden file; nil when it is missing or not in the format `text` writes.
    init?(text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.first, let textStart = lines.firstIndex(of: "text:"),
            let styleStart = lines.firstIndex(of: "styles:"), let keyStart = lines.firstIndex(of: "key:"),
            textStart < styleStart, styleStart < keyStart
        else { return nil }
        if lines.last == "" { lines.removeLast() }
        self.header = header
        rows = lines[(textStart + 1)..<styleStart].map { String($0.dropFirst(2)) }
        var key: [Character: String] = [:]
        for line in lines[(keyStart + 1)...] {
            guard let letter = line.first, line.dropFirst().first == " " else { return nil }
            key[letter] = String(line.dropFirst(2))
        }
        styles = lines[(styleStart + 1)..<keyStart].map { line in line.dropFirst(2).map { key[$0] ?? "unknown style \($0)" } }
    }

    /// The file's text: rows are indented by `| ` so leading blanks stay visible.
    var text: String {
        var letters: [String: Character] = [:]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var styleRows: [String] = []
        var key: [String] = []
        for row in styles {
            var line = "| "
            for name in row {
                if letters[name] == nil {
                    let letter = letters.count < alphabet.count ? alphabet[letters.count] : "?"
                    letters[name] = letter
                    key.append("\(letter) \(name)")
                }
                line.append(letters[name] ?? "?")
            }
            styleRows.append(line)
        }
        return ([header, "text:"] + rows.map { "| " + $0 } + ["styles:"] + styleRows + ["key:"] + key).joined(separator: "\n") + "\n"
    }

    /// The differences from `expected`, readable: header, rows of text, cells of style.
    func differences(from expected: GoldenScreen) -> [String] {
        var found: [String] = []
        if header != expected.header { found.append("size and cursor: expected \(expected.header), got \(header)") }
        for row in 0..<max(rows.count, expected.rows.count) {
            let want = row < expected.rows.count ? expected.rows[row] : "(no row)"
            let got = row < rows.count ? rows[row] : "(no row)"
            if want != got { found.append("row \(row) text:\n  expected |\(want)|\n  actual   |\(got)|") }
        }
        for row in 0..<min(styles.count, expected.styles.count) {
            let cells = zip(expected.styles[row], styles[row]).enumerated().filter { $0.element.0 != $0.element.1 }
            guard !cells.isEmpty else { continue }
            let shown = cells.prefix(6).map { "column \($0.offset) expected \($0.element.0), got \($0.element.1)" }
            found.append("row \(row) styles: " + shown.joined(separator: "; ") + (cells.count > 6 ? "; and \(cells.count - 6) more cells" : ""))
        }
        return found
    }

    /// The file of a golden screen.
    static func file(named name: String) -> URL { directory.appendingPathComponent("\(name).txt") }

    /// Compares a frame with the golden file `name` (or records it).
    static func expect(
        _ frame: ChatScreen.Frame,
        matches name: String,
        theme: Theme = .fallback,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        // Whatever the file says, every cell must be one ncurses can hold as the grid has it.
        let cellProblems = CursesCellCheck.problems(in: frame.grid)
        if !cellProblems.isEmpty {
            Issue.record(Comment(rawValue: "cells ncurses cannot show as drawn:\n" + cellProblems.joined(separator: "\n")), sourceLocation: sourceLocation)
        }
        let actual = GoldenScreen(frame, theme: theme)
        let url = file(named: name)
        if isRecording {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let stored = try? String(contentsOf: url, encoding: .utf8), let expected = GoldenScreen(text: stored) else {
            Issue.record(
                "no golden screen at \(url.path): record it with PYTHIA_RECORD_GOLDEN=1 swift test --filter PythiaTUITests.GoldenScreenTests",
                sourceLocation: sourceLocation
            )
            return
        }
        let differences = actual.differences(from: expected)
        if !differences.isEmpty {
            let report = "screen differs from Golden/\(name).txt (PYTHIA_RECORD_GOLDEN=1 re-records it):\n" + differences.joined(separator: "\n")
            Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
        }
    }

    /// A style's name: the theme roles drawn in it (`failed_marker/error`, `input/plain`), or its colours and
    /// attributes when no role is (a user's name colour).
    static func name(of style: CellStyle, in theme: Theme) -> String {
        let roles = ThemeRole.allCases.filter { theme.style($0) == style }.map(\.rawValue) + (style == .plain ? ["plain"] : [])
        if !roles.isEmpty { return roles.joined(separator: "/") }
        let color = { (color: TerminalColor) -> String in
            switch color {
            case .default: "default"
            case .indexed(let index): "\(index)"
            }
        }
        let attributes: [(CellStyle.Attributes, String)] = [
            (.bold, "bold"), (.dim, "dim"), (.underline, "underline"), (.reverse, "reverse"), (.italic, "italic"),
        ]
        let words = attributes.filter { style.attributes.contains($0.0) }.map(\.1)
        return (["fg \(color(style.foreground))", "bg \(color(style.background))"] + words).joined(separator: " ")
    }
}
