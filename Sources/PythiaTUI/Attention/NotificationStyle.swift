/// How a terminal is asked to show a desktop notification.
public enum NotificationStyle: String, Hashable, Sendable {
    /// `OSC 777 ; notify ; TITLE ; BODY` (rxvt-unicode's, also foot and WezTerm).
    case osc777
    /// `OSC 9 ; TEXT` (iTerm2's, also kitty and ghostty).
    case osc9
}
