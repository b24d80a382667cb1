import Foundation

/// Finds and reads themes: the user's own (`$XDG_CONFIG_HOME/pythia-chat/themes/NAME.yaml`)
/// first, then those shipped in the resource bundle, then the compiled-in default.
///
/// The bundle is located by hand instead of through `Bundle.module`, which on Linux stops the
/// process when the bundle is not beside the binary (an installed copy, a moved binary).
public struct ThemeLoader: Sendable {
    /// Where the user's themes live, if known.
    public var userDirectory: String?
    /// Where the shipped themes live, if found.
    public var bundledDirectory: String?

    /// Creates a loader over explicit directories.
    public init(userDirectory: String?, bundledDirectory: String?) {
        self.userDirectory = userDirectory
        self.bundledDirectory = bundledDirectory
    }

    /// The loader for this process: the user's config directory and the bundle beside the binary.
    public static func standard(environment: [String: String]) -> ThemeLoader {
        ThemeLoader(userDirectory: userThemesDirectory(environment: environment), bundledDirectory: locateBundledThemes())
    }

    /// `$XDG_CONFIG_HOME/pythia-chat/themes`, with `~/.config` when XDG_CONFIG_HOME is unset.
    public static func userThemesDirectory(environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/pythia-chat/themes" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/pythia-chat/themes"
    }

    /// The theme name to start with: NO_COLOR (set and not empty) means monochrome, else
    /// the requested one, else the default.
    public static func initialThemeName(requested: String?, environment: [String: String]) -> String {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return "monochrome" }
        return requested ?? "default"
    }

    /// Loads a theme by name. It never fails: a missing or bad theme yields the default theme
    /// and the problem, to be shown once.
    public func load(named name: String) -> (theme: Theme, problem: ThemeError?) {
        let searched = [userDirectory, bundledDirectory].compactMap { $0 }
        let valid = Validation.isThemeName(name)
        for directory in searched where valid {
            let path = "\(directory)/\(name).yaml"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do {
                return (try load(path: path, name: name), nil)
            } catch {
                return (defaultTheme(), error)
            }
        }
        if name == "default" { return (.fallback, nil) }
        return (defaultTheme(), .notFound(name: name, searched: searched.isEmpty ? ["(no theme directory)"] : searched))
    }

    /// Reads one theme file.
    public func load(path: String, name: String) throws(ThemeError) -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .syntax(path: path, detail: "the file is not UTF-8 text")
        }
        return try ThemeParser.parse(text, name: name, path: path, base: .fallback)
    }

    /// Every theme name available, user themes first, without duplicates.
    public func availableNames() -> [String] {
        var names: [String] = []
        for directory in [userDirectory, bundledDirectory].compactMap({ $0 }) {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files.sorted() where file.hasSuffix(".yaml") {
                let name = String(file.dropLast(5))
                if !names.contains(name) { names.append(name) }
            }
        }
        return names.contains("default") ? names : ["default"] + names
    }

    /// The shipped default, or the compiled-in one when the bundle is missing.
    private func defaultTheme() -> Theme {
        guard let bundledDirectory, let theme = try? load(path: "\(bundledDirectory)/default.yaml", name: "default") else {
            return .fallback
        }
        return theme
    }

    /// The `Themes` folder of SwiftPM's resource bundle beside the running binary, if present.
    static func locateBundledThemes() -> String? {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directories = [executable.deletingLastPathComponent()]
        if let main = Bundle.main.executableURL?.deletingLastPathComponent() { directories.append(main) }
        for directory in directories {
            for bundle in ["pythia-chat_PythiaTUI.resources", "pythia-chat_PythiaTUI.bundle/Contents/Resources", "pythia-chat_PythiaTUI.bundle"] {
                let path = directory.appendingPathComponent(bundle).appendingPathComponent("Themes").path
                if FileManager.default.fileExists(atPath: path + "/default.yaml") { return path }
            }
        }
        return nil
    }
}

extension ThemeLoader {
    enum Validation {
        /// A theme name is a file name: no path separators, no hidden files.
        static func isThemeName(_ name: String) -> Bool {
            !name.isEmpty && !name.contains("/") && !name.hasPrefix(".") && name.count <= 64
        }
    }
}
