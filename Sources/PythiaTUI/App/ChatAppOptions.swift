/// Interface settings from the command line.
public struct ChatAppOptions: Sendable {
    /// Ring the terminal bell when someone mentions me.
    public var bellOnMention: Bool
    /// Report mouse clicks and the wheel.
    public var mouse: Bool
    /// Use colours (false with NO_COLOR).
    public var colors: Bool
    /// Desktop notifications, window title and focus reports, as the terminal allows.
    public var terminalFeatures: TerminalFeatures

    /// Creates the options.
    public init(bellOnMention: Bool = true, mouse: Bool = true, colors: Bool = true, terminalFeatures: TerminalFeatures = .none) {
        self.bellOnMention = bellOnMention
        self.mouse = mouse
        self.colors = colors
        self.terminalFeatures = terminalFeatures
    }
}
