/// Turns a batch of raw terminal input into key presses.
///
/// ESC followed by more input in the same batch is Alt (Meta) plus that key; `ESC [` and
/// `ESC O` start xterm sequences, decoded here too so keys work even where terminfo does not
/// know them. Control characters become Ctrl plus the letter, except Tab, Enter (CR) and
/// Backspace (DEL); LF is Ctrl-J. The focus reports of mode 1004 (`CSI I`, `CSI O`) are
/// events of their own, never keys.
public enum KeyDecoder {
    /// Decodes a batch of raw input read in one go into key presses and focus changes.
    public static func events(_ input: [RawInput]) -> [InputEvent] {
        var events: [InputEvent] = []
        var index = 0
        while index < input.count {
            switch input[index] {
            case .namedKey(let name):
                if let focus = focusKeys[name] {
                    events.append(.focus(focus))
                } else if let key = namedKey(name) {
                    events.append(.key(key))
                }
                index += 1
            case .character(let scalar) where scalar == "\u{1B}":
                let (event, consumed) = escapeSequence(input, from: index + 1)
                events.append(event)
                index += 1 + consumed
            case .character(let scalar):
                events.append(.key(character(scalar)))
                index += 1
            }
        }
        return events
    }

    /// Focus reports as terminfo may name them (ncurses' `xterm+focus`): gained, lost.
    private static let focusKeys = ["kxIN": true, "kxOUT": false]

    /// A single character with no prefix.
    static func character(_ scalar: Unicode.Scalar) -> Key {
        switch scalar.value {
        case 0x0D: return Key(.enter)
        case 0x09: return Key(.tab)
        case 0x7F, 0x08: return Key(.backspace)
        case 0x00: return .ctrl(" ")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(scalar.value + 0x60)!))
        case 0x1C...0x1F: return .ctrl(Character(Unicode.Scalar(scalar.value + 0x40)!))
        default: return .char(Character(scalar))
        }
    }

    /// What follows an ESC: a CSI/SS3 sequence, Alt plus a key, or a lone Escape.
    private static func escapeSequence(_ input: [RawInput], from start: Int) -> (InputEvent, Int) {
        guard start < input.count else { return (.key(Key(.escape)), 0) }
        switch input[start] {
        case .namedKey(let name):
            guard var key = namedKey(name) else { return (.key(Key(.escape)), 0) }
            key.modifiers.insert(.alt)
            return (.key(key), 1)
        case .character(let scalar) where scalar == "[" || scalar == "O":
            if scalar == "[", start + 1 < input.count, case .character(let final) = input[start + 1], final == "I" || final == "O" {
                return (.focus(final == "I"), 2)
            }
            if let (key, length) = controlSequence(input, from: start + 1, ss3: scalar == "O") {
                return (.key(key), 1 + length)
            }
            return (.key(.alt(.character(Character(scalar)))), 1)
        case .character(let scalar) where scalar == "\u{1B}":
            return (.key(Key(.escape)), 0)
        case .character(let scalar):
            var key = character(scalar)
            key.modifiers.insert(.alt)
            return (.key(key), 1)
        }
    }

    /// Parses `params final` after `ESC [` or `ESC O`; nil when it is not a sequence we know.
    private static func controlSequence(_ input: [RawInput], from start: Int, ss3: Bool) -> (Key, Int)? {
        var text = ""
        var index = start
        while index < input.count, case .character(let scalar) = input[index] {
            text.unicodeScalars.append(scalar)
            index += 1
            if (0x40...0x7E).contains(scalar.value) { break }
        }
        guard let final = text.last, final.isLetter || final == "~" else { return nil }
        let params = text.dropLast().split(separator: ";").map { Int($0) ?? 1 }
        let modifiers = params.count > 1 ? xtermModifiers(params[1]) : []
        let code: Key.Code?
        switch final {
        case "A": code = .up
        case "B": code = .down
        case "C": code = .right
        case "D": code = .left
        case "H": code = .home
        case "F": code = .end
        case "Z": code = .backTab
        case "P", "Q", "R", "S": code = .function(Int(final.asciiValue! - Character("P").asciiValue!) + 1)
        case "~": code = tildeKey(params.first ?? 0)
        default: code = nil
        }
        guard let code, !(ss3 && final == "~") else { return nil }
        return (Key(code, modifiers), index - start)
    }

    private static func tildeKey(_ number: Int) -> Key.Code? {
        switch number {
        case 1, 7: return .home
        case 2: return .insert
        case 3: return .delete
        case 4, 8: return .end
        case 5: return .pageUp
        case 6: return .pageDown
        case 11...15: return .function(number - 10)
        case 17...21: return .function(number - 11)
        case 23, 24: return .function(number - 12)
        default: return nil
        }
    }

    /// xterm's modifier parameter: 1 + (shift 1, alt 2, ctrl 4).
    private static func xtermModifiers(_ value: Int) -> Key.Modifiers {
        let bits = max(0, value - 1)
        var modifiers: Key.Modifiers = []
        if bits & 1 != 0 { modifiers.insert(.shift) }
        if bits & 2 != 0 { modifiers.insert(.alt) }
        if bits & 4 != 0 { modifiers.insert(.control) }
        return modifiers
    }

    /// A key named by terminfo/ncurses (`KEY_UP`, `KEY_F(3)`, `kDN3`…).
    static func namedKey(_ name: String) -> Key? {
        let plain: [String: Key.Code] = [
            "KEY_UP": .up, "KEY_DOWN": .down, "KEY_LEFT": .left, "KEY_RIGHT": .right,
            "KEY_HOME": .home, "KEY_END": .end, "KEY_PPAGE": .pageUp, "KEY_NPAGE": .pageDown,
            "KEY_DC": .delete, "KEY_IC": .insert, "KEY_BACKSPACE": .backspace, "KEY_ENTER": .enter,
            "KEY_BTAB": .backTab,
        ]
        if let code = plain[name] { return Key(code) }
        if name.hasPrefix("KEY_F("), name.hasSuffix(")"), let number = Int(name.dropFirst(6).dropLast()) {
            return Key(.function(number))
        }
        // Extended terminfo names: a capability plus xterm's modifier digit (kDN3 = Alt-Down).
        let extended: [String: Key.Code] = [
            "kUP": .up, "kDN": .down, "kLFT": .left, "kRIT": .right, "kHOM": .home, "kEND": .end,
            "kPRV": .pageUp, "kNXT": .pageDown, "kDC": .delete, "kIC": .insert,
        ]
        guard let digit = name.last?.wholeNumberValue, let code = extended[String(name.dropLast())] else { return nil }
        return Key(code, xtermModifiers(digit))
    }
}
