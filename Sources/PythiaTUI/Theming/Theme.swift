/// Colours and attributes for every UI role, plus the palette user names are drawn from.
public struct Theme: Hashable, Sendable {
    /// The theme's name (its file name without `.yaml`).
    public var name: String
    /// The style of each role.
    public var styles: [ThemeRole: CellStyle]
    /// Colours given to user names; each user keeps one for good.
    public var userPalette: [TerminalColor]

    /// Creates a theme; roles left out are drawn in the terminal's plain style.
    public init(name: String, styles: [ThemeRole: CellStyle], userPalette: [TerminalColor]) {
        self.name = name
        self.styles = styles
        self.userPalette = userPalette
    }

    /// The style of a role.
    public func style(_ role: ThemeRole) -> CellStyle { styles[role] ?? .plain }

    /// A user name's colour: the same user always gets the same palette entry (FNV-1a of the
    /// name, so it does not change between runs as Swift's seeded `hashValue` would).
    public func color(forUser username: String) -> TerminalColor {
        guard !userPalette.isEmpty else { return style(.messageText).foreground }
        var hash: UInt32 = 2_166_136_261
        for byte in username.lowercased().utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return userPalette[Int(hash % UInt32(userPalette.count))]
    }

    /// The style of a user's name in the message pane.
    public func nameStyle(forUser username: String) -> CellStyle {
        var style = style(.messageText)
        style.foreground = color(forUser: username)
        style.attributes.insert(.bold)
        return style
    }
}
