/// What a key does in the chat UI.
public enum KeyAction: Hashable, Sendable {
    /// Types a character.
    case insert(Character)
    /// Sends the input line (Enter).
    case submit
    /// Inserts a line break (Alt-Enter, Ctrl-J).
    case newline
    case cursorLeft, cursorRight, lineStart, lineEnd, wordLeft, wordRight
    case deleteBackward, deleteForward, killToLineEnd, killToLineStart, killWordBackward, yank
    case historyPrevious, historyNext
    /// Ctrl-N / Alt-↓.
    case nextChannel
    /// Ctrl-P / Alt-↑.
    case previousChannel
    /// Alt-1…9: the n-th channel, from 1.
    case jumpToChannel(Int)
    /// Alt-A: the next channel with activity, mentions first.
    case nextActiveChannel
    /// PgUp (at the top: load older history).
    case scrollUp
    /// PgDn.
    case scrollDown
    /// Alt-End or Esc.
    case scrollToBottom
    /// Tab.
    case complete
    /// Ctrl-L.
    case redraw
    /// Ctrl-C: quits when pressed twice in a row.
    case interrupt
    /// F1.
    case help
    /// Ctrl-R: searches the words in the input line, or starts a `/search`.
    case search
    /// F2: shows or hides the member pane.
    case toggleMembers
}
