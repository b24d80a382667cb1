import Foundation
import PythiaClient
import PythiaTestCertificates
import Testing

/// The whole table of ``ConnectionResolver``: what the chat UI, `send` and `tail` connect to.
@Suite struct ConnectionResolverTests {
    private static let saved = SavedLogin(server: "http://saved.example:2", token: "S", username: "alice")

    private func resolver(
        server: String? = nil, token: String? = nil, caFile: String? = nil,
        environment: [String: String] = [:], saved: SavedLogin? = ConnectionResolverTests.saved
    ) -> ConnectionResolver {
        resolver(servers: server.map { [$0] } ?? [], token: token, caFile: caFile, environment: environment, saved: saved)
    }

    private func resolver(
        servers: [String], token: String? = nil, caFile: String? = nil,
        environment: [String: String] = [:], saved: SavedLogin? = ConnectionResolverTests.saved
    ) -> ConnectionResolver {
        ConnectionResolver(servers: servers, token: token, caFile: caFile, environment: environment) { saved }
    }

    /// A resolver whose saved login is a damaged `login.json`.
    private func resolverWithCorruptLogin(server: String? = nil, token: String? = nil) throws -> (ConnectionResolver, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-resolver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("login.json")
        try Data("{not json".utf8).write(to: file)
        let resolver = ConnectionResolver(servers: server.map { [$0] } ?? [], token: token, caFile: nil, environment: [:]) { () throws(SavedLoginError) in
            try SavedLogin.load(from: file)
        }
        return (resolver, directory)
    }

    private func remote(_ servers: String..., token: String, from saved: SavedLogin? = nil) throws -> ResolvedConnection {
        .remote(servers: try ServerList(parsing: servers), token: token, savedLogin: saved)
    }

    private func remote(_ server: String, _ token: String, from saved: SavedLogin? = nil) throws -> ResolvedConnection {
        try remote(server, token: token, from: saved)
    }

    @Test func serverAndTokenWinOverTheSavedLogin() throws {
        #expect(try resolver(server: "http://h:1", token: "T").resolve() == remote("http://h:1", "T"))
    }

    @Test func serverAndTokenNeverReadTheSavedLogin() throws {
        let (resolver, directory) = try resolverWithCorruptLogin(server: "http://h:1", token: "T")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try resolver.resolve() == remote("http://h:1", "T"))
    }

    @Test func theEnvironmentTokenStandsInForTokenAndTheFlagWins() throws {
        #expect(try resolver(server: "http://h:1", environment: ["PYTHIA_TOKEN": "E"]).resolve() == remote("http://h:1", "E"))
        #expect(try resolver(server: "http://h:1", token: "T", environment: ["PYTHIA_TOKEN": "E"]).resolve() == remote("http://h:1", "T"))
        // An empty PYTHIA_TOKEN is no token: the saved one for that server is used.
        #expect(try resolver(server: Self.saved.server, environment: ["PYTHIA_TOKEN": ""]).resolve()
            == remote(Self.saved.server, "S", from: Self.saved))
    }

    @Test func tokenAloneUsesTheSavedServerElseLocalhost() throws {
        #expect(try resolver(token: "T").resolve() == remote(Self.saved.server, "T"))
        #expect(try resolver(token: "T", saved: nil).resolve() == remote("http://localhost:8000", "T"))
        #expect(try resolver(environment: ["PYTHIA_TOKEN": "E"], saved: nil).resolve() == remote("http://localhost:8000", "E"))
    }

    @Test func serverAloneTakesTheTokenSavedForThatServer() throws {
        // The same server written differently (trailing slash, ws scheme) is still that server.
        #expect(try resolver(server: "http://saved.example:2/").resolve() == remote("http://saved.example:2/", "S", from: Self.saved))
        #expect(try resolver(server: "ws://saved.example:2").resolve() == remote("ws://saved.example:2", "S", from: Self.saved))
    }

    @Test func serverAloneWithAnotherServerSavedOrNothingSavedIsAnError() throws {
        #expect(throws: ConnectionResolverError.self) { try resolver(server: "http://other:3").resolve() }
        #expect(throws: ConnectionResolverError.self) { try resolver(server: "http://other:3", saved: nil).resolve() }
    }

    @Test func nothingGivenMeansTheSavedLoginElseLocalMode() throws {
        #expect(try resolver().resolve() == remote(Self.saved.server, "S", from: Self.saved))
        #expect(try resolver(saved: nil).resolve() == .local)
    }

    @Test func aCorruptSavedLoginIsAnErrorWhenItIsNeeded() throws {
        for (server, token) in [(nil, nil), (nil, "T"), ("http://h:1", nil)] as [(String?, String?)] {
            let (resolver, directory) = try resolverWithCorruptLogin(server: server, token: token)
            defer { try? FileManager.default.removeItem(at: directory) }
            let error = #expect(throws: ConnectionResolverError.self) { try resolver.resolve() }
            #expect(error?.description.contains("login.json") == true)
        }
    }

    @Test func anEmptyTokenFlagIsAnError() {
        #expect(throws: ConnectionResolverError.self) { try resolver(token: "").resolve() }
    }

    @Test func aBadServerURLIsAnError() {
        let error = #expect(throws: ConnectionResolverError.self) { try resolver(server: "ftp://h", token: "T").resolve() }
        #expect(error?.description.hasPrefix("--server:") == true)
    }

    @Test func theCAFileComesFromTheFlagElseSSLCertFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-resolver-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let caFile = try TestCertificateAuthority().writeCertificate(to: directory)

        guard case .remote(let flagged, _, _) = try resolver(server: "https://h:1", token: "T", caFile: caFile).resolve() else {
            Issue.record("expected a remote server")
            return
        }
        #expect(flagged.first.trust.caFile == caFile)
        guard case .remote(let fromEnvironment, _, _) = try resolver(
            server: "https://h:1", token: "T", environment: ["SSL_CERT_FILE": caFile]).resolve()
        else {
            Issue.record("expected a remote server")
            return
        }
        #expect(fromEnvironment.first.trust.caFile == caFile)
        #expect(throws: ConnectionResolverError.self) {
            try resolver(server: "https://h:1", token: "T", caFile: directory.appendingPathComponent("missing.pem").path).resolve()
        }
    }

    @Test(arguments: [
        (["http://a:1,http://b:2"], ["http://a:1", "http://b:2"]),
        (["http://a:1", "http://b:2"], ["http://a:1", "http://b:2"]),
        (["a:1, b:2", "ws://c:3/ws"], ["http://a:1", "http://b:2", "http://c:3"]),
        // A server named twice counts once, in its first place.
        (["http://a:1,http://b:2", "http://a:1/"], ["http://a:1", "http://b:2"]),
    ])
    func severalServersRepeatedOrCommaSeparatedKeepTheirOrder(given: [String], expected: [String]) throws {
        guard case .remote(let servers, let token, nil) = try resolver(servers: given, token: "T").resolve() else {
            Issue.record("expected remote servers with the given token")
            return
        }
        #expect(servers.endpoints.map(\.description) == expected)
        #expect(token == "T")
    }

    @Test(arguments: [
        (["http://a:1,ftp://b:2"], "ftp://b:2"),
        (["http://a:1", "b:99999"], "b:99999"),
        (["http://a:1,,http://b:2"], "http://a:1,,http://b:2"),
        (["http://a:1,"], "http://a:1,"),
    ])
    func aBadServerInAListIsAnErrorNamingIt(given: [String], named: String) {
        // With a token, and without one (the saved login names the good servers).
        let saved = SavedLogin(server: "http://a:1,http://b:2", token: "S", username: "alice")
        for token in ["T", nil] {
            let error = #expect(throws: ConnectionResolverError.self) { try resolver(servers: given, token: token, saved: saved).resolve() }
            #expect(error?.description.hasPrefix("--server:") == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("'\(named)'") == true, "\(error?.description ?? "")")
        }
    }

    @Test func aSavedListIsUsedWholeAndItsTokenForAnyOfItsServers() throws {
        let cluster = SavedLogin(server: "http://a:1,http://b:2", token: "S", username: "alice")
        #expect(try resolver(saved: cluster).resolve() == remote("http://a:1", "http://b:2", token: "S", from: cluster))
        #expect(try resolver(token: "T", saved: cluster).resolve() == remote("http://a:1", "http://b:2", token: "T"))
        // Any of the saved servers, alone or in another order, takes the saved token.
        #expect(try resolver(server: "http://b:2/", saved: cluster).resolve() == remote("http://b:2/", "S", from: cluster))
        #expect(try resolver(servers: ["http://b:2", "http://a:1"], saved: cluster).resolve()
            == remote("http://b:2", "http://a:1", token: "S", from: cluster))
    }

    @Test func theSavedTokenIsNeverSentToAServerTheLoginDoesNotName() {
        let cluster = SavedLogin(server: "http://a:1,http://b:2", token: "S", username: "alice")
        let error = #expect(throws: ConnectionResolverError.self) {
            try resolver(servers: ["http://a:1,http://c:3"], saved: cluster).resolve()
        }
        #expect(error?.description.hasPrefix("no saved login for http://c:3:") == true, "\(error?.description ?? "")")
        // One saved server does not vouch for a second one given with it.
        #expect(throws: ConnectionResolverError.self) {
            try resolver(servers: [Self.saved.server, "http://other:3"]).resolve()
        }
    }
}
