public import Foundation
public import PythiaClient

/// Runs the chat UI against a server: the session (its outbox kept in a file, a refreshed
/// token saved back to the login it came from) and the terminal, until the user quits.
public struct ChatLauncher: Sendable {
    /// The servers: one, or several processes of one deployment to move between.
    public var servers: ServerList
    /// The access token.
    public var token: String
    /// The saved login the token came from, which a refreshed token replaces; `nil` for
    /// a token given on the command line or made by local mode.
    public var savedLogin: SavedLogin?
    /// Where the outbox files are kept (the data directory).
    public var dataDirectory: String
    /// What the outbox and read-positions files are named after, with the account: the
    /// servers' URLs, or for local mode (whose port changes on every start) its database.
    public var fileKey: String
    /// `--theme`, if given.
    public var themeName: String?
    /// Bell, mouse and notifications; colours are turned off by a non-empty `NO_COLOR`.
    public var options: ChatAppOptions
    /// Where `NO_COLOR`, `XDG_CONFIG_HOME` (themes) are read.
    public var environment: [String: String]

    /// A launcher for `servers` with `token`.
    public init(
        servers: ServerList, token: String, savedLogin: SavedLogin?, dataDirectory: String, fileKey: String? = nil,
        themeName: String?, bellOnMention: Bool, mouse: Bool, notify: Bool? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.servers = servers
        self.token = token
        self.savedLogin = savedLogin
        self.dataDirectory = dataDirectory
        self.fileKey = fileKey ?? servers.description
        self.themeName = themeName
        self.environment = environment
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        self.options = ChatAppOptions(
            bellOnMention: bellOnMention, mouse: mouse, colors: !noColor,
            terminalFeatures: TerminalFeatures.detect(environment: environment, notify: notify))
    }

    /// Connects, runs the UI until the user quits, then stops the session.
    public func run() async throws {
        var configuration = Session.Configuration()
        // What was typed but not yet sent survives a quit: one outbox file per server and account.
        configuration.outboxFile = URL(
            fileURLWithPath: dataDirectory + "/" + Self.outboxFileName(server: fileKey, token: token))
        // So do the unread counts and the read marker.
        configuration.readPositionsFile = URL(
            fileURLWithPath: Self.stateDirectory(environment: environment) + "/" + Self.readPositionsFileName(server: fileKey, token: token))
        if let savedLogin {
            configuration.onTokenRefreshed = { fresh in
                try? SavedLogin(server: savedLogin.server, token: fresh, username: savedLogin.username).save()
            }
        }
        let session = Session(servers: servers, token: token, configuration: configuration)
        await session.start()
        let label = servers.label
        do {
            try await TerminalUI.run(
                backend: SessionBackend(session: session, serverLabel: label),
                initial: ChatSnapshot(state: await session.state, server: label, now: Date()),
                themeName: ThemeLoader.initialThemeName(requested: themeName, environment: environment),
                themeLoader: .standard(environment: environment),
                options: options)
        } catch {
            await session.stop()
            throw error
        }
        await session.stop()
    }
}

extension ChatLauncher {
    /// Local mode's account name: `$USER` reduced to what a user name may hold
    /// (3–32 of `A-Z a-z 0-9 _ . -`), padded or replaced when too short.
    public static func localUsername(from user: String?) -> String {
        let allowed = (user ?? "").unicodeScalars.filter { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_.-".unicodeScalars.contains(scalar))
        }
        let name = String(String.UnicodeScalarView(allowed.prefix(32)))
        switch name.count {
        case 0: return "me-local"
        case 1, 2: return name + "-local"
        default: return name
        }
    }

    /// The outbox file's name for a server and the account a token belongs to (its JWT `sub`
    /// claim, so a refreshed token keeps the same file): `outbox-<hash>.json`.
    public static func outboxFileName(server: String, token: String) -> String {
        accountFileName("outbox", server: server, token: token)
    }

    /// The read-positions file's name for a server and account: `read-<hash>.json`.
    public static func readPositionsFileName(server: String, token: String) -> String {
        accountFileName("read", server: server, token: token)
    }

    /// Where state worth keeping but not worth backing up goes: `$XDG_STATE_HOME/pythia-chat`,
    /// by default `~/.local/state/pythia-chat`.
    public static func stateDirectory(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/pythia-chat" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/pythia-chat"
    }

    private static func accountFileName(_ kind: String, server: String, token: String) -> String {
        let subject = AccessToken(token).subject ?? "unknown"
        let hash = "\(server)|\(subject)".utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        return "\(kind)-\(String(hash, radix: 16)).json"
    }
}
