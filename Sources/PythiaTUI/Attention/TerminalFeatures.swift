/// What the terminal does beyond drawing cells, as far as the environment tells: desktop
/// notifications, a window title and focus reports. Decided once at start.
public struct TerminalFeatures: Hashable, Sendable {
    /// How desktop notifications are sent, or nil for none.
    public var notifications: NotificationStyle?
    /// Whether the chat runs inside tmux (`$TMUX`): notifications are wrapped for passthrough.
    public var insideTmux: Bool
    /// Whether the terminal understands xterm's title (OSC 2, the title stack) and focus
    /// reporting (mode 1004); the Linux console would print an OSC's text instead.
    public var titleAndFocus: Bool

    /// Creates the features.
    public init(notifications: NotificationStyle? = nil, insideTmux: Bool = false, titleAndFocus: Bool = false) {
        self.notifications = notifications
        self.insideTmux = insideTmux
        self.titleAndFocus = titleAndFocus
    }

    /// A terminal that gets nothing but cells (tests, `TERM=dumb`).
    public static let none = TerminalFeatures()

    /// The features of the terminal the environment describes. `notify` is `--notify`
    /// (true) or `--no-notify` (false); nil lets the terminal decide.
    ///
    /// Terminals known to show desktop notifications, by what they set:
    ///
    /// | Terminal       | Recognised by                                            | Sequence |
    /// |----------------|----------------------------------------------------------|----------|
    /// | iTerm2         | `TERM_PROGRAM=iTerm.app`, `LC_TERMINAL=iTerm2`, `ITERM_SESSION_ID` | OSC 9 |
    /// | kitty          | `TERM=xterm-kitty`, `KITTY_WINDOW_ID`                    | OSC 9    |
    /// | WezTerm        | `TERM_PROGRAM=WezTerm`, `WEZTERM_PANE`                   | OSC 777  |
    /// | ghostty        | `TERM_PROGRAM=ghostty`, `TERM=xterm-ghostty`, `GHOSTTY_RESOURCES_DIR` | OSC 9 |
    /// | foot           | `TERM=foot…`                                             | OSC 777  |
    /// | rxvt-unicode   | `TERM=rxvt-unicode…`                                     | OSC 777  |
    ///
    /// The variables a terminal exports (`KITTY_WINDOW_ID`…) survive into tmux, where
    /// `TERM` and `TERM_PROGRAM` name tmux instead. Any other terminal gets notifications
    /// with `--notify`, as OSC 777.
    public static func detect(environment: [String: String], notify: Bool?) -> TerminalFeatures {
        let term = environment["TERM"] ?? ""
        let known = knownNotificationStyle(environment: environment)
        let notifications: NotificationStyle?
        switch notify {
        case true?: notifications = known ?? .osc777
        case false?: notifications = nil
        case nil: notifications = known
        }
        let plain = term.isEmpty || term == "dumb" || term.hasPrefix("linux") || term.hasPrefix("vt") || term.hasPrefix("cons")
        return TerminalFeatures(notifications: notifications, insideTmux: !(environment["TMUX"] ?? "").isEmpty, titleAndFocus: !plain)
    }

    private static func knownNotificationStyle(environment: [String: String]) -> NotificationStyle? {
        let term = environment["TERM"] ?? ""
        let program = environment["TERM_PROGRAM"] ?? ""
        let has = { (name: String) in !(environment[name] ?? "").isEmpty }
        if program == "iTerm.app" || environment["LC_TERMINAL"] == "iTerm2" || has("ITERM_SESSION_ID") { return .osc9 }
        if term == "xterm-kitty" || has("KITTY_WINDOW_ID") { return .osc9 }
        // ghostty documents OSC 9 for notifications, not OSC 777.
        if program == "ghostty" || term == "xterm-ghostty" || has("GHOSTTY_RESOURCES_DIR") { return .osc9 }
        if program == "WezTerm" || has("WEZTERM_PANE") { return .osc777 }
        if term.hasPrefix("foot") || term.hasPrefix("rxvt-unicode") { return .osc777 }
        return nil
    }
}
