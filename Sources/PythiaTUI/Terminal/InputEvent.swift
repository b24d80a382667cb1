/// Something the user did at the terminal.
public enum InputEvent: Hashable, Sendable {
    /// A key press, decoded.
    case key(Key)
    /// A mouse click or wheel turn.
    case mouse(MouseEvent)
    /// The terminal changed size.
    case resize(TerminalSize)
    /// The terminal window gained (true) or lost focus (`CSI I`, `CSI O`; mode 1004).
    case focus(Bool)
}

/// A mouse event at a screen position.
public struct MouseEvent: Hashable, Sendable {
    /// What happened.
    public enum Kind: Hashable, Sendable {
        /// The primary button was pressed or clicked.
        case click
        /// The wheel turned away from the user.
        case wheelUp
        /// The wheel turned towards the user.
        case wheelDown
    }

    /// What happened.
    public var kind: Kind
    /// The row, from 0 at the top.
    public var row: Int
    /// The column, from 0 at the left.
    public var column: Int

    /// Creates a mouse event.
    public init(_ kind: Kind, row: Int, column: Int) {
        self.kind = kind
        self.row = row
        self.column = column
    }
}
