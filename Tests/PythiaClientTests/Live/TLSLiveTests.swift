import Foundation
import PythiaClient
import PythiaProtocol
import PythiaServer
import PythiaTestCertificates
import PythiaTestSupport
import Testing

/// The engine against the real server serving TLS with a certificate from a throwaway
/// authority: trusted through the CA file it works end to end; a wrong authority, an
/// expired certificate and a certificate for another host each fail at once with one line
/// that names the host.
@Suite(.serialized) struct TLSLiveTests {
    /// A TLS server on port 0 and the files the test made for it.
    struct SecureServer: TestFixture {
        let server: ChatServer
        let directory: URL
        /// The authority that signed the server's certificate, PEM file.
        let caFile: String

        /// Starts a server whose certificate names `hosts` and is valid until `notValidAfter`.
        static func start(hosts: [String] = ["127.0.0.1", "localhost"], notValidAfter: Date = Date() + 86_400) async throws -> SecureServer {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let authority = try TestCertificateAuthority()
            let issued = try authority.issue(hosts: hosts, notValidBefore: min(Date(), notValidAfter) - 86_400, notValidAfter: notValidAfter)
            let files = try issued.write(to: directory)
            var configuration = LiveServer.configuration(directory: directory, port: 0)
            configuration.tls = ServerTLS(certificatePath: files.certificate, keyPath: files.key)
            let server = try await ChatServer.start(configuration)
            return SecureServer(server: server, directory: directory, caFile: try authority.writeCertificate(to: directory))
        }

        var hostAndPort: String { "127.0.0.1:\(server.port)" }

        /// The server's https URL, its certificate checked against `caFile`.
        func endpoint(caFile: String? = nil) throws -> ServerEndpoint {
            try ServerEndpoint("https://\(hostAndPort)", trust: ServerTrust(caFile: caFile ?? self.caFile))
        }

        func tearDown() async {
            await server.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func theEngineWorksOverHTTPSAndWSS() async throws {
        try await SecureServer.start().whileRunning { secure in
            #expect(secure.server.baseURL == "https://\(secure.hostAndPort)")
            let alice = try await secure.server.provisionLocalAccount(username: "alice")
            let bob = try await secure.server.provisionLocalAccount(username: "bob")
            let general = try await secure.server.ensureChannel(named: "general", ownedBy: alice.user.id)
            _ = try await secure.server.ensureChannel(named: "general", ownedBy: bob.user.id)
            let endpoint = try secure.endpoint()
            #expect(endpoint.webSocketURL(token: "t").absoluteString.hasPrefix("wss://127.0.0.1:"))

            // A close timeout far past the bound below: a stop that waited for it is seen as such,
            // and a loaded machine's slow stop is not.
            var configuration = Session.Configuration()
            configuration.connection.closeTimeout = .seconds(60)
            let session = Session(endpoint: endpoint, token: alice.accessToken, configuration: configuration)
            await session.start()
            try await eventually("alice connected over wss") {
                let state = await session.state
                return state.connection == .connected && state.channel(named: "general") != nil
            }
            let posted = try await APIClient(endpoint: endpoint, token: bob.accessToken)
                .postMessage(channelId: general.id, content: "over tls", clientId: nil)
            try await eventually("bob's message reaches alice live") {
                await session.state.channel(named: "general")?.messages.contains { $0.id == posted.id } == true
            }
            // Over ws:// a stop takes milliseconds; TLS's closing handshake must not wait out the
            // close timeout.
            let stopping = ContinuousClock.now
            await session.stop()
            #expect(ContinuousClock.now - stopping < .seconds(20))
        }
    }

    @Test func anAuthorityWeDoNotTrustIsRefusedNamingTheHost() async throws {
        try await SecureServer.start().whileRunning { secure in
            let otherAuthority = try TestCertificateAuthority(commonName: "Someone Else's CA")
            let wrongCA = try otherAuthority.writeCertificate(to: secure.directory, name: "other-ca.pem")
            try await expectRefusal(of: try secure.endpoint(caFile: wrongCA), token: try await secure.server.provisionLocalAccount(username: "alice"),
                saying: ["the certificate of \(secure.hostAndPort)", "not signed by an authority in the CA file \(wrongCA)", "--ca-file"])
        }
    }

    @Test func anExpiredCertificateIsRefusedNamingTheHost() async throws {
        try await SecureServer.start(notValidAfter: Date() - 3600).whileRunning { secure in
            try await expectRefusal(of: try secure.endpoint(), token: try await secure.server.provisionLocalAccount(username: "alice"),
                saying: ["the certificate of \(secure.hostAndPort) expired on "])
        }
    }

    @Test func aCertificateForAnotherHostIsRefusedNamingTheHost() async throws {
        try await SecureServer.start(hosts: ["example.invalid"]).whileRunning { secure in
            try await expectRefusal(of: try secure.endpoint(), token: try await secure.server.provisionLocalAccount(username: "alice"),
                saying: ["the certificate of \(secure.hostAndPort) is not issued for 127.0.0.1 (host-name mismatch)"])
        }
    }

    @Test func plainHTTPToTheTLSPortFailsAtOnceWithAHint() async throws {
        try await SecureServer.start().whileRunning { secure in
            let plain = try ServerEndpoint("http://\(secure.hostAndPort)")
            let started = ContinuousClock.now
            do throws(APIError) {
                _ = try await APIClient(endpoint: plain, token: nil, timeout: .seconds(30)).me()
                Issue.record("a plain request to a TLS port succeeded")
            } catch {
                #expect(error.kind == .transport)
                #expect(error.description.contains("if \(secure.hostAndPort) serves TLS, use an https:// URL"), "\(error)")
            }
            #expect(ContinuousClock.now - started < .seconds(10), "failed rather than waited for the timeout")
        }
    }

    @Test func aMissingOrEmptyCAFileIsOneClearError() throws {
        #expect(throws: ServerTrustError.self) { try ServerTrust(caFile: "/nonexistent/ca.pem") }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).pem")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        do {
            _ = try ServerTrust(caFile: empty.path)
            Issue.record("an empty CA file was accepted")
        } catch {
            #expect(error.description.contains(empty.path))
        }
        #expect(try ServerTrust.resolve(caFile: nil, environment: [:]) == .system)
        #expect(throws: ServerTrustError.self) { try ServerTrust.resolve(caFile: nil, environment: ["SSL_CERT_FILE": "/nonexistent/ca.pem"]) }
    }

    /// REST and the WebSocket both refuse `endpoint` at once, with the same line naming the host.
    private func expectRefusal(of endpoint: ServerEndpoint, token: TokenResponse, saying parts: [String]) async throws {
        let started = ContinuousClock.now
        var restMessage = ""
        do {
            _ = try await APIClient(endpoint: endpoint, token: token.accessToken).me()
            Issue.record("the REST call succeeded")
        } catch {
            #expect(error.kind == .untrustedCertificate)
            #expect(!error.isTransient, "retrying cannot make a certificate trusted")
            restMessage = error.detail
        }
        for part in parts { #expect(restMessage.contains(part), "REST: \(restMessage)") }
        #expect(!restMessage.contains("\n"))

        // A loaded machine's slow handshake must not time out and count as a second attempt.
        var configuration = RealtimeConnection.Configuration()
        configuration.handshakeTimeout = .seconds(60)
        let connection = RealtimeConnection(endpoint: endpoint, credentials: .fixed(token.accessToken), configuration: configuration)
        let running = Task { await connection.run() }
        var states: [ConnectionState] = []
        var askedAgain = false
        for await event in connection.events {
            guard case .state(let state) = event else { continue }
            states.append(state)
            guard case .failed = state else { continue }
            if askedAgain { break }
            // Final until asked: then exactly one more attempt, refused the same way.
            askedAgain = true
            await connection.reconnectNow()
        }
        running.cancel()
        await running.value
        // One attempt, then a final failure: no reconnect loop hides it.
        #expect(states.count == 4, "\(states)")
        guard case .failed(let failure)? = states.last, states[1] == states[3], states[2] == .connecting else {
            Issue.record("the WebSocket did not fail twice: \(states)")
            return
        }
        #expect(failure.isUntrustedCertificate)
        #expect(failure.message == restMessage)

        // The session (what the chat UI's status bar shows) gives up the same way.
        let session = Session(endpoint: endpoint, token: token.accessToken)
        await session.start()
        try await eventually("the session gives up") {
            if case .failed(let failure) = await session.state.connection { return failure.message == restMessage }
            return false
        }
        await session.stop()
        // Gives up rather than retrying for ever; the bound leaves room for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
