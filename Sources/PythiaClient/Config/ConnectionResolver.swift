public import Foundation

/// Decides which server a client talks to and with which token, from the command line, the
/// environment and the saved login: one table for the chat UI, `send` and `tail`.
///
/// | `--server` | token (`--token`, else `PYTHIA_TOKEN`) | result |
/// |---|---|---|
/// | URLs | T | the URLs with T; the saved login is not read |
/// | — | T | the saved login's servers, else ``defaultServer``, with T |
/// | URLs | — | the URLs with the saved token, when every one is a saved server; else an error |
/// | — | — | the saved login; else ``ResolvedConnection/local`` |
///
/// `--server` may be repeated or hold a comma-separated list (``ServerList``); a saved
/// login's `server` may hold such a list too. The saved token is never sent to a server
/// the login does not name. The saved login is read only when the flags leave something
/// open, so a damaged `login.json` never stands in the way of `--server` and `--token`
/// given together.
public struct ConnectionResolver: Sendable {
    /// The server a token alone talks to when nothing is saved (the spec's endpoint).
    public static let defaultServer = "http://localhost:8000"

    /// Every `--server` given, each one URL or a comma-separated list.
    public var servers: [String]
    /// `--token`, if given.
    public var token: String?
    /// `--ca-file`, if given.
    public var caFile: String?
    /// Where `PYTHIA_TOKEN` and `SSL_CERT_FILE` are read.
    public var environment: [String: String]
    /// Reads the saved login; `nil` when there is none.
    public var loadSaved: @Sendable () throws(SavedLoginError) -> SavedLogin?

    /// A resolver for these flags; the saved login is read from its usual file unless told otherwise.
    public init(
        servers: [String], token: String?, caFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        loadSaved: @escaping @Sendable () throws(SavedLoginError) -> SavedLogin? = { () throws(SavedLoginError) in try SavedLogin.load() }
    ) {
        self.servers = servers
        self.token = token
        self.caFile = caFile
        self.environment = environment
        self.loadSaved = loadSaved
    }

    /// The token given: `--token`, else a non-empty `PYTHIA_TOKEN`.
    public var givenToken: String? {
        if let token { return token }
        let fromEnvironment = environment["PYTHIA_TOKEN"] ?? ""
        return fromEnvironment.isEmpty ? nil : fromEnvironment
    }

    /// Where to connect, following the table above.
    ///
    /// - Throws: ``ConnectionResolverError`` saying what to give when nothing usable is known,
    ///   when the server URL or the CA file cannot be used, or when the saved login is damaged
    ///   and was needed.
    public func resolve() throws(ConnectionResolverError) -> ResolvedConnection {
        if let token, token.isEmpty {
            throw ConnectionResolverError("--token is empty: pass the access token `pythia-chat login` gives")
        }
        let serverTexts: [String]
        let chosenToken: String
        var fromSaved: SavedLogin?
        switch (servers.isEmpty ? nil : servers, givenToken) {
        case (let givenServers?, let givenToken?):
            (serverTexts, chosenToken) = (givenServers, givenToken)
        case (nil, let givenToken?):
            (serverTexts, chosenToken) = ([try saved()?.server ?? Self.defaultServer], givenToken)
        case (let givenServers?, nil):
            let saved = try saved()
            let unsaved = Self.firstUnsaved(givenServers, savedServer: saved?.server)
            guard let saved, unsaved == nil else {
                let given = givenServers.joined(separator: ",")
                throw ConnectionResolverError(
                    "no saved login for \(unsaved ?? given): run `pythia-chat login --server \(given)`, or give --token (or set PYTHIA_TOKEN)")
            }
            (serverTexts, chosenToken, fromSaved) = (givenServers, saved.token, saved)
        case (nil, nil):
            guard let saved = try saved() else { return .local }
            (serverTexts, chosenToken, fromSaved) = ([saved.server], saved.token, saved)
        }
        let trust: ServerTrust
        do {
            trust = try ServerTrust.resolve(caFile: caFile, environment: environment)
        } catch {
            throw ConnectionResolverError("\(error)")
        }
        do {
            return .remote(servers: try ServerList(parsing: serverTexts, trust: trust), token: chosenToken, savedLogin: fromSaved)
        } catch {
            throw ConnectionResolverError("--server: \(error)")
        }
    }

    private func saved() throws(ConnectionResolverError) -> SavedLogin? {
        do {
            return try loadSaved()
        } catch {
            throw ConnectionResolverError("\(error)")
        }
    }

    /// The first of `given` that the saved login does not name, once normalised (scheme,
    /// trailing slash); `nil` when it names them all. With nothing saved, the first given.
    /// A URL that is not one is left to the parse that follows, whose error names it.
    private static func firstUnsaved(_ given: [String], savedServer: String?) -> String? {
        let saved = savedServer.flatMap { try? ServerList(parsing: [$0]) }
        for text in given {
            guard let servers = try? ServerList(parsing: [text]) else { continue }
            if let missing = servers.endpoints.first(where: { saved?.endpoints.contains($0) != true }) {
                return missing.description
            }
        }
        return nil
    }
}
