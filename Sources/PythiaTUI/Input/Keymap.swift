/// Which key does what: the bindings documented in the README and the help overlay.
public struct Keymap: Sendable {
    /// One binding, as shown in the help overlay.
    public struct Binding: Sendable {
        /// The keys, as the user reads them.
        public var keys: String
        /// What they do.
        public var summary: String
    }

    private var bindings: [Key: KeyAction]

    /// The standard bindings.
    public init() {
        var map: [Key: KeyAction] = [
            Key(.enter): .submit, Key(.enter, .alt): .newline, .ctrl("j"): .newline,
            .ctrl("a"): .lineStart, Key(.home): .lineStart, .ctrl("e"): .lineEnd, Key(.end): .lineEnd,
            .ctrl("b"): .cursorLeft, Key(.left): .cursorLeft, .ctrl("f"): .cursorRight, Key(.right): .cursorRight,
            .alt(.character("b")): .wordLeft, Key(.left, .control): .wordLeft,
            .alt(.character("f")): .wordRight, Key(.right, .control): .wordRight,
            Key(.backspace): .deleteBackward, .ctrl("h"): .deleteBackward,
            Key(.delete): .deleteForward, .ctrl("d"): .deleteForward,
            .ctrl("k"): .killToLineEnd, .ctrl("u"): .killToLineStart, .ctrl("w"): .killWordBackward,
            Key(.backspace, .alt): .killWordBackward, .ctrl("y"): .yank,
            Key(.up): .historyPrevious, Key(.down): .historyNext,
            .ctrl("n"): .nextChannel, Key(.down, .alt): .nextChannel,
            .ctrl("p"): .previousChannel, Key(.up, .alt): .previousChannel,
            .alt(.character("a")): .nextActiveChannel,
            Key(.pageUp): .scrollUp, Key(.pageDown): .scrollDown,
            Key(.end, .alt): .scrollToBottom, Key(.escape): .scrollToBottom,
            Key(.tab): .complete, .ctrl("l"): .redraw, .ctrl("c"): .interrupt, Key(.function(1)): .help,
            .ctrl("r"): .search,
            Key(.function(2)): .toggleMembers,
        ]
        for number in 1...9 {
            map[.alt(.character(Character(String(number))))] = .jumpToChannel(number)
        }
        bindings = map
    }

    /// What a key does; printable characters type themselves, anything unbound does nothing.
    public func action(for key: Key) -> KeyAction? {
        if let action = bindings[key] { return action }
        if case .character(let character) = key.code, key.modifiers.subtracting(.shift).isEmpty {
            return .insert(character)
        }
        return nil
    }

    /// Every binding, for the help overlay and the README.
    public static let reference: [Binding] = [
        Binding(keys: "Enter", summary: "send the line"),
        Binding(keys: "Alt-Enter, Ctrl-J", summary: "new line in the message"),
        Binding(keys: "Ctrl-N, Alt-↓", summary: "next channel"),
        Binding(keys: "Ctrl-P, Alt-↑", summary: "previous channel"),
        Binding(keys: "Alt-1 … Alt-9", summary: "jump to channel 1 … 9"),
        Binding(keys: "Alt-A", summary: "next channel with activity, mentions first"),
        Binding(keys: "PgUp, PgDn", summary: "scroll; PgUp at the top loads older messages"),
        Binding(keys: "Alt-End, Esc", summary: "newest message, then clear ── new ──"),
        Binding(keys: "Tab", summary: "complete @user, #channel, /command"),
        Binding(keys: "Up, Down", summary: "input history"),
        Binding(keys: "Ctrl-A, Home / Ctrl-E, End", summary: "start / end of line"),
        Binding(keys: "Ctrl-B, ← / Ctrl-F, →", summary: "back / forward a character"),
        Binding(keys: "Alt-B / Alt-F", summary: "back / forward a word"),
        Binding(keys: "Ctrl-H, Backspace / Ctrl-D, Del", summary: "delete before / under the cursor"),
        Binding(keys: "Ctrl-K / Ctrl-U / Ctrl-W", summary: "cut to end / to start / word before"),
        Binding(keys: "Ctrl-Y", summary: "paste the last cut"),
        Binding(keys: "Ctrl-R", summary: "search messages for the words typed"),
        Binding(keys: "Ctrl-L", summary: "redraw the screen"),
        Binding(keys: "F1", summary: "this help (any key closes it)"),
        Binding(keys: "F2", summary: "member pane (from 100 columns)"),
        Binding(keys: "Ctrl-C twice, /quit", summary: "quit"),
        Binding(keys: "mouse", summary: "wheel: scroll; click: channel, @name"),
    ]
}
