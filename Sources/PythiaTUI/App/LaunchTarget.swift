import Foundation

/// Which server the chat UI opens, from the command line and the saved login.
public enum LaunchTarget: Hashable, Sendable {
    /// A server reached with a token.
    case remote(server: String, token: String)
    /// Local mode: the embedded server on loopback, with an account named after the user.
    case local

    /// The server `--token` alone talks to when nothing is saved (the spec's endpoint).
    public static let defaultServer = "http://localhost:8000"

    /// Decides where to connect.
    ///
    /// - `--server URL --token T`: that server with that token.
    /// - `--token T`: the saved server, else `defaultServer`.
    /// - `--server URL`: the token saved for that server.
    /// - nothing: the saved login, else local mode.
    ///
    /// `sameServer` compares two server texts after normalising them (scheme, trailing slash).
    public static func resolve(
        server: String?, token: String?, saved: (server: String, token: String)?,
        sameServer: (String, String) -> Bool
    ) throws(LaunchError) -> LaunchTarget {
        if let token, token.isEmpty { throw LaunchError("--token is empty: pass the access token `pythia-chat login` gives") }
        switch (server, token) {
        case (let server?, let token?):
            return .remote(server: server, token: token)
        case (nil, let token?):
            return .remote(server: saved?.server ?? defaultServer, token: token)
        case (let server?, nil):
            guard let saved, sameServer(saved.server, server) else {
                throw LaunchError("no saved login for \(server): run `pythia-chat login --server \(server)`, or pass --token")
            }
            return .remote(server: server, token: saved.token)
        case (nil, nil):
            return saved.map { .remote(server: $0.server, token: $0.token) } ?? .local
        }
    }
}

/// Why the command line does not say where to connect.
public struct LaunchError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension LaunchTarget {
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
}

extension LaunchTarget {
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
        let parts = token.split(separator: ".")
        var subject = "unknown"
        if parts.count == 3 {
            var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while payload.count % 4 != 0 { payload += "=" }
            if let data = Data(base64Encoded: payload),
                let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let sub = claims["sub"] as? String
            {
                subject = sub
            }
        }
        let hash = "\(server)|\(subject)".utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        return "\(kind)-\(String(hash, radix: 16)).json"
    }
}
