extension Theme {
    /// The default dark theme, compiled in: the last fallback when no theme file can be read.
    /// `Themes/default.yaml` says the same (a test keeps the two equal).
    public static let fallback: Theme = {
        let panel: TerminalColor = .indexed(235)
        let bar: TerminalColor = .indexed(237)
        let help: TerminalColor = .indexed(236)
        func style(_ fg: Int?, _ bg: TerminalColor = .default, _ attributes: CellStyle.Attributes = []) -> CellStyle {
            CellStyle(foreground: fg.map { .indexed(UInt8($0)) } ?? .default, background: bg, attributes: attributes)
        }
        return Theme(
            name: "default",
            styles: [
                .messageText: style(252),
                .channelList: style(250, panel),
                .channelListTitle: style(244, panel, .bold),
                .channelSelected: style(231, .indexed(25), .bold),
                .channelUnread: style(231, panel, .bold),
                .channelMention: style(203, panel, .bold),
                .channelPrivate: style(180, panel),
                .separator: style(238),
                .timestamp: style(243),
                .daySeparator: style(109),
                .ownMessage: style(250),
                .ownName: style(231, .default, .bold),
                .mention: style(231, .indexed(94), .bold),
                .reactions: style(180),
                .editedMarker: style(242, .default, .italic),
                .pendingMarker: style(242),
                .failedMarker: style(203, .default, .bold),
                .notice: style(110),
                .error: style(203, .default, .bold),
                .typingLine: style(244, .default, .italic),
                .input: style(nil),
                .inputPrompt: style(75, .default, .bold),
                .statusBar: style(252, bar),
                .statusConnected: style(114, bar, .bold),
                .statusConnecting: style(221, bar),
                .statusReconnecting: style(221, bar, .bold),
                .statusOffline: style(203, bar, .bold),
                .statusFailed: style(231, .indexed(160), .bold),
                .helpOverlay: style(252, help),
                .helpTitle: style(75, help, .bold),
                .searchMatch: style(16, .indexed(179), .bold),
                .searchSelected: style(231, .indexed(24)),
            ],
            userPalette: [39, 208, 170, 114, 220, 141, 203, 81, 215, 149, 177, 45].map { .indexed(UInt8($0)) }
        )
    }()
}
