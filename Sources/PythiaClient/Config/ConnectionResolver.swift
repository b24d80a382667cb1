public import Foundation

/// Decides which server a client talks to and with which token, from the command line, the
/// environment and the saved login: one table for the chat UI, `send` and `tail`.
///
/// | `--server` | token (`--token`, else `PYTHIA_TOKEN`) | result |
/// |---|---|---|
/// | URL | T | URL with T; the saved login is not read |
/// | — | T | the saved login's server, else ``defaultServer``, with T |
/// | URL | — | URL with the token saved for that same server; else an error |
/// | — | — | the saved login; else ``ResolvedConnection/local`` |
///
/// The saved login is read only when the flags leave something open, so a damaged
/// `login.json` never stands in the way of `--server` and `--token` given together.
public struct ConnectionResolver: Sendable {
    /// The server a token alone talks to when nothing is saved (the spec's endpoint).
    public static let defaultServer = "http://localhost:8000"

    /// `--server`, if given.
    public var server: String?
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
        server: String?, token: String?, caFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        loadSaved: @escaping @Sendable () throws(SavedLoginError) -> SavedLogin? = { () throws(SavedLoginError) in try SavedLogin.load() }
    ) {
        self.server = server
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
        let serverText: String
        let chosenToken: String
        var fromSaved: SavedLogin?
        switch (server, givenToken) {
        case (let givenServer?, let givenToken?):
            (serverText, chosenToken) = (givenServer, givenToken)
        case (nil, let givenToken?):
            (serverText, chosenToken) = (try saved()?.server ?? Self.defaultServer, givenToken)
        case (let givenServer?, nil):
            guard let saved = try saved(), Self.sameServer(saved.server, givenServer) else {
                throw ConnectionResolverError(
                    "no saved login for \(givenServer): run `pythia-chat login --server \(givenServer)`, or give --token (or set PYTHIA_TOKEN)")
            }
            (serverText, chosenToken, fromSaved) = (givenServer, saved.token, saved)
        case (nil, nil):
            guard let saved = try saved() else { return .local }
            (serverText, chosenToken, fromSaved) = (saved.server, saved.token, saved)
        }
        let trust: ServerTrust
        do {
            trust = try ServerTrust.resolve(caFile: caFile, environment: environment)
        } catch {
            throw ConnectionResolverError("\(error)")
        }
        do {
            return .remote(endpoint: try ServerEndpoint(serverText, trust: trust), token: chosenToken, savedLogin: fromSaved)
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

    /// Whether two server texts name the same server once normalised (scheme, trailing slash).
    private static func sameServer(_ first: String, _ second: String) -> Bool {
        guard let first = try? ServerEndpoint(first), let second = try? ServerEndpoint(second) else { return false }
        return first == second
    }
}
