import Foundation
import Testing

@testable import PythiaTUI

@Suite struct ThemeLoaderTests {
    private let shipped = ["default", "light", "solarized-dark", "high-contrast", "monochrome"]

    /// A fresh user theme directory holding the given files.
    private func userDirectory(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-themes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8) }
        return directory
    }

    @Test func theBundleIsFoundBesideTheBinary() throws {
        let directory = try #require(ThemeLoader.locateBundledThemes())
        #expect(FileManager.default.fileExists(atPath: directory + "/default.yaml"))
    }

    @Test func everyShippedThemeNamesEveryRole() throws {
        let loader = ThemeLoader(userDirectory: nil, bundledDirectory: ThemeLoader.locateBundledThemes())
        #expect(Set(loader.availableNames()).isSuperset(of: shipped))
        for name in shipped {
            let path = try #require(loader.bundledDirectory) + "/\(name).yaml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for role in ThemeRole.allCases {
                #expect(text.contains("  \(role.rawValue):"), "\(name).yaml does not name \(role.rawValue)")
            }
            let (theme, problem) = loader.load(named: name)
            #expect(problem == nil)
            #expect(theme.name == name)
        }
    }

    @Test func theShippedDefaultEqualsTheCompiledInOne() throws {
        let loader = ThemeLoader(userDirectory: nil, bundledDirectory: ThemeLoader.locateBundledThemes())
        let theme = try loader.load(path: try #require(loader.bundledDirectory) + "/default.yaml", name: "default")
        #expect(theme == Theme.fallback)
    }

    @Test func withoutAnyFilesTheDefaultIsCompiledIn() {
        let loader = ThemeLoader(userDirectory: nil, bundledDirectory: nil)
        let (theme, problem) = loader.load(named: "default")
        #expect(theme == .fallback)
        #expect(problem == nil)
        let (other, missing) = loader.load(named: "light")
        #expect(other == .fallback)
        #expect(missing?.description.contains("no theme named 'light'") == true)
    }

    @Test func aUserThemeOverridesRolesAndKeepsTheRest() throws {
        let directory = try userDirectory(["mine.yaml": "# mine\nroles:\n  timestamp: { fg: bright-red, bold: true }\nuser_palette: [1, '#ff8700']\n"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (theme, problem) = ThemeLoader(userDirectory: directory, bundledDirectory: nil).load(named: "mine")
        #expect(problem == nil)
        #expect(theme.style(.timestamp) == CellStyle(foreground: .indexed(9), attributes: .bold))
        #expect(theme.style(.error) == Theme.fallback.style(.error))
        #expect(theme.userPalette == [.indexed(1), .indexed(208)])
    }

    @Test(arguments: [
        ("roles:\n  timestamp: { fg: purplish }\n", "bad.yaml:2: key 'roles.timestamp.fg': 'purplish' is not a colour"),
        ("roles:\n  timestmp: { fg: 1 }\n", "bad.yaml:2: key 'roles.timestmp': not a UI role"),
        ("roles:\n  timestamp: { fg: 300 }\n", "key 'roles.timestamp.fg': colour number 300 is outside 0–255"),
        ("roles:\n  timestamp: { blink: true }\n", "key 'roles.timestamp.blink': unknown style field"),
        ("roles:\n  timestamp: { bold: maybe }\n", "key 'roles.timestamp.bold': expected true or false"),
        ("colours: {}\n", "key 'colours': unknown key"),
        ("user_palette: []\n", "key 'user_palette': expected a non-empty list"),
        ("roles: [unclosed\n", "is not valid YAML"),
        ("- just\n- a list\n", "key '(top level)'"),
    ])
    func aBadFileNamesTheFileAndKeyThenFallsBack(yaml: String, expected: String) throws {
        let directory = try userDirectory(["bad.yaml": yaml])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (theme, problem) = ThemeLoader(userDirectory: directory, bundledDirectory: nil).load(named: "bad")
        #expect(theme == .fallback)
        let message = try #require(problem).description
        #expect(message.contains("\(directory)/bad"))
        #expect(message.contains(expected), "\(message)")
        #expect(message.hasSuffix("using the default theme"))
    }

    @Test func noColorChoosesMonochrome() {
        #expect(ThemeLoader.initialThemeName(requested: "light", environment: ["NO_COLOR": "1"]) == "monochrome")
        #expect(ThemeLoader.initialThemeName(requested: "light", environment: ["NO_COLOR": ""]) == "light")
        #expect(ThemeLoader.initialThemeName(requested: nil, environment: [:]) == "default")
        #expect(ThemeLoader(userDirectory: nil, bundledDirectory: nil).load(named: "../etc/passwd").problem != nil)
    }

    @Test func userColoursAreStableAndFallBackToEightColours() {
        let theme = Theme.fallback
        #expect(theme.color(forUser: "alice") == theme.color(forUser: "alice"))
        #expect(theme.color(forUser: "alice") == theme.color(forUser: "ALICE"))
        #expect(Set(["alice", "bob", "carol", "dave", "erin"].map(theme.color(forUser:))).count > 1)
        #expect(TerminalColor.indexed(196).reduced(toPaletteOf: 8) == .indexed(1))
        #expect(TerminalColor.indexed(12).reduced(toPaletteOf: 8) == .indexed(4))
        #expect(TerminalColor.indexed(252).reduced(toPaletteOf: 8) == .indexed(7))
        #expect(TerminalColor.indexed(3).reduced(toPaletteOf: 8) == .indexed(3))
        #expect(TerminalColor.default.reduced(toPaletteOf: 8) == .default)
    }
}
