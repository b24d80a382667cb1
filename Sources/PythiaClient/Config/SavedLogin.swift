public import Foundation
import PythiaProtocol

/// The server, token and user name `pythia-chat login` keeps, so that later runs need no flags.
///
/// Stored as JSON in `$XDG_CONFIG_HOME/pythia-chat/login.json` (else
/// `~/.config/pythia-chat/login.json`), readable by its owner only (mode 0600).
public struct SavedLogin: Codable, Hashable, Sendable {
    /// The server's URL as the user gave it.
    public var server: String
    /// The access token.
    public var token: String
    /// Whose token it is.
    public var username: String

    /// Creates a saved login.
    public init(server: String, token: String, username: String) {
        self.server = server
        self.token = token
        self.username = username
    }

    /// The directory pythia-chat keeps its configuration in, for `environment`.
    public static func configDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("pythia-chat", isDirectory: true)
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".config/pythia-chat", isDirectory: true)
    }

    /// Where the login is kept, for `environment`.
    public static func defaultFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        configDirectory(environment: environment).appendingPathComponent("login.json")
    }

    /// The login saved in `file`; `nil` when there is none.
    ///
    /// - Throws: ``SavedLoginError`` when the file exists but cannot be read or is not a login.
    public static func load(from file: URL = defaultFile()) throws(SavedLoginError) -> SavedLogin? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .unreadable(file, error.localizedDescription)
        }
        do {
            let login = try JSONDecoder().decode(SavedLogin.self, from: data)
            guard !login.server.isEmpty, !login.token.isEmpty else { throw SavedLoginError.corrupt(file, "empty server or token") }
            return login
        } catch let error as SavedLoginError {
            throw error
        } catch {
            throw .corrupt(file, "not a saved login")
        }
    }

    /// Writes the login to `file`, created with mode 0600 before the token is in it, in its
    /// directory (created with mode 0700).
    public func save(to file: URL = SavedLogin.defaultFile()) throws(SavedLoginError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw .unwritable(file, error.localizedDescription)
        }
        do {
            try PrivateFile.makeDirectory(atPath: file.deletingLastPathComponent().path, tightening: true)
            try PrivateFile.write(data, toPath: file.path)
        } catch {
            throw .unwritable(file, error.reason)
        }
    }

    /// Removes the saved login from `file`, if there is one.
    public static func remove(from file: URL = defaultFile()) throws(SavedLoginError) {
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        do {
            try FileManager.default.removeItem(at: file)
        } catch {
            throw .unwritable(file, error.localizedDescription)
        }
    }
}
