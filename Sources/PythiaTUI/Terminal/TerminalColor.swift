/// A terminal colour: the terminal's own default, or an entry of the 256-colour palette.
public enum TerminalColor: Hashable, Sendable {
    /// The terminal's default foreground or background.
    case `default`
    /// An xterm palette index: 0–7 basic, 8–15 bright, 16–231 the 6×6×6 cube, 232–255 greys.
    case indexed(UInt8)

    /// The eight basic colours by name, in palette order.
    public static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// This colour on a terminal with only `count` colours (8 or 16): the nearest basic colour.
    public func reduced(toPaletteOf count: Int) -> TerminalColor {
        guard case .indexed(let index) = self, Int(index) >= count else { return self }
        if index < 16 { return .indexed(index - 8) }
        let rgb = Self.rgb(of: index)
        var best = 0
        var bestDistance = Int.max
        for candidate in 0..<min(count, 16) {
            let other = Self.rgb(of: UInt8(candidate))
            let distance = (0..<3).reduce(0) { $0 + (rgb[$1] - other[$1]) * (rgb[$1] - other[$1]) }
            if distance < bestDistance {
                best = candidate
                bestDistance = distance
            }
        }
        return .indexed(UInt8(best))
    }

    /// The approximate RGB value xterm shows for a palette index.
    static func rgb(of index: UInt8) -> [Int] {
        let basic: [[Int]] = [
            [0, 0, 0], [205, 0, 0], [0, 205, 0], [205, 205, 0], [0, 0, 238], [205, 0, 205], [0, 205, 205], [229, 229, 229],
            [127, 127, 127], [255, 0, 0], [0, 255, 0], [255, 255, 0], [92, 92, 255], [255, 0, 255], [0, 255, 255], [255, 255, 255],
        ]
        switch index {
        case 0..<16:
            return basic[Int(index)]
        case 16..<232:
            let cube = Int(index) - 16
            let level = { (step: Int) in step == 0 ? 0 : 55 + step * 40 }
            return [level(cube / 36), level(cube / 6 % 6), level(cube % 6)]
        default:
            let grey = 8 + (Int(index) - 232) * 10
            return [grey, grey, grey]
        }
    }
}
