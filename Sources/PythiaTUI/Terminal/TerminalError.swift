/// Why the terminal could not be taken over.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    private enum Reason: Sendable {
        case notATerminal
        case cannotStart(String)
    }

    private let reason: Reason

    /// Standard input or output is not a terminal.
    public static let notATerminal = TerminalError(reason: .notATerminal)
    /// ncurses refused the terminal type.
    public static func cannotStart(_ term: String) -> TerminalError { TerminalError(reason: .cannotStart(term)) }

    public var description: String {
        switch reason {
        case .notATerminal:
            return "pythia-chat's chat UI needs a terminal: run it in one, or use `pythia-chat send`/`tail` in scripts"
        case .cannotStart(let term):
            return "the terminal type \(term) is unknown to ncurses: set TERM to one it knows (e.g. xterm-256color)"
        }
    }
}
