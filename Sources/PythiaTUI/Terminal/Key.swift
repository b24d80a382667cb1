/// A decoded key press: a key and the modifiers held.
public struct Key: Hashable, Sendable, CustomStringConvertible {
    /// Which key.
    public enum Code: Hashable, Sendable {
        /// A printable character (for Ctrl- and Alt- combinations, the lowercase letter).
        case character(Character)
        case enter, tab, backTab, backspace, delete, escape, insert
        case up, down, left, right, home, end, pageUp, pageDown
        /// F1…F12.
        case function(Int)
    }

    /// Modifier keys.
    public struct Modifiers: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let control = Modifiers(rawValue: 1 << 0)
        public static let alt = Modifiers(rawValue: 1 << 1)
        public static let shift = Modifiers(rawValue: 1 << 2)
    }

    /// Which key.
    public var code: Code
    /// The modifiers held.
    public var modifiers: Modifiers

    /// Creates a key press.
    public init(_ code: Code, _ modifiers: Modifiers = []) {
        self.code = code
        self.modifiers = modifiers
    }

    /// A printable character with no modifier.
    public static func char(_ character: Character) -> Key { Key(.character(character)) }
    /// Ctrl plus a letter.
    public static func ctrl(_ letter: Character) -> Key { Key(.character(letter), .control) }
    /// Alt (Meta) plus a key.
    public static func alt(_ code: Code) -> Key { Key(code, .alt) }

    public var description: String {
        var parts: [String] = []
        if modifiers.contains(.control) { parts.append("Ctrl") }
        if modifiers.contains(.alt) { parts.append("Alt") }
        if modifiers.contains(.shift) { parts.append("Shift") }
        switch code {
        case .character(let character): parts.append(String(character))
        case .function(let number): parts.append("F\(number)")
        default: parts.append("\(code)")
        }
        return parts.joined(separator: "-")
    }
}
