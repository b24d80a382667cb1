public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Writes the login to `file` with mode 0600, creating its directory (mode 0700).
    public func save(to file: URL = SavedLogin.defaultFile()) throws(SavedLoginError) {
        do {
            let directory = file.deletingLastPathComponent()
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(self)
            // Create the file with 0600 before the token is written into it.
            let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(UInt32.random(in: 0...UInt32.max))")
            guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600])
            else { throw SavedLoginError.unwritable(file, "cannot create a file in \(directory.path)") }
            if rename(temporary.path, file.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw SavedLoginError.unwritable(file, reason)
            }
        } catch let error as SavedLoginError {
            throw error
        } catch {
            throw .unwritable(file, error.localizedDescription)
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
