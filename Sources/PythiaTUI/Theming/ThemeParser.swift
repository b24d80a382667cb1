import Yams

/// Reads a theme file: YAML with `roles:` (one style per `ThemeRole` key) and `user_palette:`.
///
/// A style is a mapping of `fg`, `bg` (a palette number 0–255, a colour name such as `blue`
/// or `bright-blue`, `#rrggbb`, or `default`) and the flags `bold`, `dim`, `underline`,
/// `reverse`, `italic`. Roles a file leaves out keep the base theme's style; an unknown key
/// or bad value is an error naming the key and line.
enum ThemeParser {
    static func parse(_ yaml: String, name: String, path: String, base: Theme) throws(ThemeError) -> Theme {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw .syntax(path: path, detail: "\(error)".split(separator: "\n").first.map(String.init) ?? "syntax error")
        }
        guard let root, let mapping = root.mapping else {
            throw .badKey(path: path, key: "(top level)", line: root?.mark?.line, detail: "expected a mapping with 'roles' and 'user_palette'")
        }
        var theme = base
        theme.name = name
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? "?"
            let fail = { (detail: String) in ThemeError.badKey(path: path, key: key, line: value.mark?.line ?? keyNode.mark?.line, detail: detail) }
            switch key {
            case "name", "description":
                guard value.string != nil else { throw fail("expected text") }
            case "roles":
                guard let roles = value.mapping else { throw fail("expected a mapping of role names to styles") }
                for (roleNode, styleNode) in roles {
                    let roleKey = "roles.\(roleNode.string ?? "?")"
                    guard let role = ThemeRole(rawValue: roleNode.string ?? "") else {
                        throw .badKey(path: path, key: roleKey, line: roleNode.mark?.line, detail: "not a UI role (known roles: \(ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    theme.styles[role] = try style(styleNode, key: roleKey, path: path)
                }
            case "user_palette":
                guard case .sequence(let sequence) = value, !sequence.isEmpty else { throw fail("expected a non-empty list of colours") }
                theme.userPalette = try sequence.enumerated().map { index, node throws(ThemeError) in
                    try color(node, key: "user_palette[\(index)]", path: path)
                }
            default:
                throw fail("unknown key (expected name, description, roles, user_palette)")
            }
        }
        return theme
    }

    private static func style(_ node: Node, key: String, path: String) throws(ThemeError) -> CellStyle {
        guard let mapping = node.mapping else {
            throw .badKey(path: path, key: key, line: node.mark?.line, detail: "expected a style such as { fg: 39, bold: true }")
        }
        var style = CellStyle()
        for (fieldNode, value) in mapping {
            let field = fieldNode.string ?? "?"
            let fieldKey = "\(key).\(field)"
            switch field {
            case "fg": style.foreground = try color(value, key: fieldKey, path: path)
            case "bg": style.background = try color(value, key: fieldKey, path: path)
            default:
                guard let attribute = attributes[field] else {
                    throw .badKey(path: path, key: fieldKey, line: fieldNode.mark?.line, detail: "unknown style field (expected fg, bg, bold, dim, underline, reverse, italic)")
                }
                guard let enabled = value.bool else {
                    throw .badKey(path: path, key: fieldKey, line: value.mark?.line, detail: "expected true or false")
                }
                if enabled { style.attributes.insert(attribute) }
            }
        }
        return style
    }

    private static let attributes: [String: CellStyle.Attributes] = [
        "bold": .bold, "dim": .dim, "underline": .underline, "reverse": .reverse, "italic": .italic,
    ]

    static func color(_ node: Node, key: String, path: String) throws(ThemeError) -> TerminalColor {
        let text = node.string?.lowercased() ?? ""
        if let number = Int(text) {
            guard (0...255).contains(number) else {
                throw .badKey(path: path, key: key, line: node.mark?.line, detail: "colour number \(number) is outside 0–255")
            }
            return .indexed(UInt8(number))
        }
        if text == "default" { return .default }
        if let index = TerminalColor.basicNames.firstIndex(of: text) { return .indexed(UInt8(index)) }
        if text.hasPrefix("bright-"), let index = TerminalColor.basicNames.firstIndex(of: String(text.dropFirst(7))) {
            return .indexed(UInt8(index + 8))
        }
        if text.hasPrefix("#"), text.count == 7, let value = Int(text.dropFirst(), radix: 16) {
            let level = { (component: Int) in [0, 95, 135, 175, 215, 255].enumerated().min { abs($0.element - component) < abs($1.element - component) }!.offset }
            return .indexed(UInt8(16 + 36 * level(value >> 16) + 6 * level(value >> 8 & 0xFF) + level(value & 0xFF)))
        }
        throw .badKey(path: path, key: key, line: node.mark?.line, detail: "'\(node.string ?? "?")' is not a colour (use 0–255, a name like blue or bright-blue, #rrggbb, or default)")
    }
}
