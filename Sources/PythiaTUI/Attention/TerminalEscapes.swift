import PythiaProtocol

/// Every control sequence the chat writes outside the cell grid, as the exact text sent:
/// desktop notifications, the window title, focus reporting. Kept in one place so the bytes
/// are tested without a terminal.
public enum TerminalEscapes {
    /// String Terminator (`ESC \`), which ends OSC and DCS strings.
    static let stringTerminator = "\u{1B}\\"

    /// A desktop notification in `style`, wrapped for tmux's passthrough when `insideTmux`.
    /// Title and body are made safe first (``notificationText(_:limit:)``).
    public static func notification(title: String, body: String, style: NotificationStyle, insideTmux: Bool) -> String {
        let title = notificationText(title, limit: 80)
        let body = notificationText(body, limit: 240)
        let sequence: String
        switch style {
        case .osc777: sequence = "\u{1B}]777;notify;\(title);\(body)" + stringTerminator
        // OSC 9 has room for one text only: iTerm2 shows it as the notification's body. The
        // title holds no `;`, so it never reads as ConEmu's `OSC 9 ; 4 ;` progress report.
        case .osc9: sequence = "\u{1B}]9;\(title): \(body)" + stringTerminator
        }
        return insideTmux ? tmuxPassthrough(sequence) : sequence
    }

    /// Sets the window title (OSC 2).
    public static func windowTitle(_ title: String) -> String {
        "\u{1B}]2;" + notificationText(title, limit: 80) + stringTerminator
    }

    /// Saves the window title on the terminal's title stack (xterm's `CSI 22 ; 0 t`).
    public static let saveTitle = "\u{1B}[22;0t"

    /// Gives the title back: an empty title first, so that a terminal without a title stack
    /// shows its own default rather than a stale unread count, then the saved one
    /// (`CSI 23 ; 0 t`) where there is a stack.
    public static let restoreTitle = "\u{1B}]2;" + stringTerminator + "\u{1B}[23;0t"

    /// Asks the terminal to report focus changes as `CSI I` and `CSI O` (mode 1004), or to stop.
    public static func focusReporting(_ on: Bool) -> String {
        on ? "\u{1B}[?1004h" : "\u{1B}[?1004l"
    }

    /// Wraps a sequence so that tmux hands it to the terminal outside it: `ESC P tmux ;`,
    /// the sequence with every ESC doubled, `ESC \`. tmux 3.3 and later pass it on only with
    /// `set -g allow-passthrough on`.
    public static func tmuxPassthrough(_ sequence: String) -> String {
        var doubled = String.UnicodeScalarView()
        for scalar in sequence.unicodeScalars {
            doubled.append(scalar)
            if scalar == "\u{1B}" { doubled.append(scalar) }
        }
        return "\u{1B}Ptmux;" + String(doubled) + stringTerminator
    }

    /// Text from the network made safe inside an OSC string: line breaks and tabs become
    /// spaces, every other control character (ESC, BEL, C1's ST…) the replacement character
    /// (``TerminalText``), `;` — the field separator of OSC 777 — a full-width semicolon,
    /// and the whole cut to `limit` characters with `…`.
    public static func notificationText(_ text: String, limit: Int) -> String {
        let spaced = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        var safe = String(TerminalText.sanitized(spaced).map { $0 == ";" ? "\u{FF1B}" : $0 })
        if safe.count > limit { safe = String(safe.prefix(max(0, limit - 1))) + "…" }
        return safe
    }
}
