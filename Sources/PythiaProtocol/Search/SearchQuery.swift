public import Foundation

/// The words of a message search and where they occur in a text, by the contract's rules
/// (`API.md`, Search): every word must occur, case- and accent-insensitively, as the
/// start of a word of the text (`deplo` finds "deployment").
///
/// Words are runs of letters, digits and marks, as SQLite's `unicode61` tokenizer reads
/// them; everything else (punctuation, emoji, FTS operators such as `"`, `*`, `-`, `:`)
/// separates words. The server uses this for highlights, a client for searching the
/// history it holds when the server has no search.
public struct SearchQuery: Hashable, Sendable {
    /// The query's words as typed, in order, without repeats (ignoring case and accents).
    public let words: [String]
    /// ``words`` folded: lowercased, without diacritics.
    let foldedWords: [String]

    /// Reads the words of `text`.
    public init(_ text: String) {
        var seen = Set<String>()
        var words: [String] = []
        var folded: [String] = []
        for word in Self.words(in: text) {
            let key = Self.fold(word.text)
            if seen.insert(key).inserted {
                words.append(String(word.text))
                folded.append(key)
            }
        }
        self.words = words
        foldedWords = folded
    }

    /// Whether the query has no word (only punctuation or symbols): it matches nothing.
    public var isEmpty: Bool { words.isEmpty }

    /// The character ranges (offsets counted in `Character`s, end excluded) of the words of
    /// `content` that start with one of the query's words, in order; `nil` when some word
    /// of the query occurs nowhere, or the query is empty.
    public func highlights(in content: String) -> [Range<Int>]? {
        guard !isEmpty else { return nil }
        var found = Set<Int>()
        var ranges: [Range<Int>] = []
        for word in Self.words(in: content) {
            let key = Self.fold(word.text)
            var matched = false
            for (index, term) in foldedWords.enumerated() where key.hasPrefix(term) {
                found.insert(index)
                matched = true
            }
            if matched { ranges.append(word.range) }
        }
        return found.count == foldedWords.count ? ranges : nil
    }

    /// The distinct words of `text`, folded (lowercased, without diacritics) as queries are:
    /// what a search index keeps so that it finds exactly what ``highlights(in:)`` marks.
    public static func terms(in text: String) -> [String] {
        var seen = Set<String>()
        return words(in: text).map { fold($0.text) }.filter { seen.insert($0).inserted }
    }

    /// The words of `text` with their character ranges.
    static func words(in text: String) -> [(range: Range<Int>, text: Substring)] {
        var result: [(range: Range<Int>, text: Substring)] = []
        var offset = 0
        var start: (offset: Int, index: String.Index)?
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if isWordCharacter(text[index]) {
                if start == nil { start = (offset, index) }
            } else if let begun = start {
                result.append((begun.offset..<offset, text[begun.index..<index]))
                start = nil
            }
            offset += 1
            index = next
        }
        if let begun = start { result.append((begun.offset..<offset, text[begun.index...])) }
        return result
    }

    /// Letters, digits and private-use characters make words, as in `unicode61`; a
    /// character is judged by its first scalar (a letter with combining accents stays one).
    private static func isWordCharacter(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse:
            return true
        default:
            return false
        }
    }

    /// Lowercased, canonically decomposed, without combining marks: `Café` → `cafe`.
    static func fold(_ word: Substring) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
