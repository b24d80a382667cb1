/// Why a theme could not be used: what is shown once before falling back to the default.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case unreadable(path: String)
        case syntax(path: String, detail: String)
        case badKey(path: String, key: String, line: Int?, detail: String)
        case notFound(name: String, searched: [String])
    }

    private let reason: Reason

    static func unreadable(path: String) -> ThemeError { ThemeError(reason: .unreadable(path: path)) }
    static func syntax(path: String, detail: String) -> ThemeError { ThemeError(reason: .syntax(path: path, detail: detail)) }
    static func badKey(path: String, key: String, line: Int?, detail: String) -> ThemeError {
        ThemeError(reason: .badKey(path: path, key: key, line: line, detail: detail))
    }
    static func notFound(name: String, searched: [String]) -> ThemeError {
        ThemeError(reason: .notFound(name: name, searched: searched))
    }

    public var description: String {
        switch reason {
        case .unreadable(let path):
            return "theme file \(path) cannot be read; using the default theme"
        case .syntax(let path, let detail):
            return "theme file \(path) is not valid YAML (\(detail)); using the default theme"
        case .badKey(let path, let key, let line, let detail):
            let place = line.map { "\(path):\($0)" } ?? path
            return "theme file \(place): key '\(key)': \(detail); using the default theme"
        case .notFound(let name, let searched):
            return "no theme named '\(name)' (looked in \(searched.joined(separator: ", "))); using the default theme"
        }
    }
}
