import AsyncHTTPClient
import Foundation
import InMemoryLogging
import Logging
import NIOHTTP1
import NIOSSL
import PythiaServer
import PythiaTestCertificates
import PythiaTestSupport
import Testing

/// `--tls-cert`/`--tls-key`: the port speaks only HTTPS and WSS, and unusable files stop
/// the start with one line naming the file.
@Suite("TLS")
struct TLSTests {
    @Test(arguments: StorageKind.tested) func theServerSpeaksHTTPSAndRefusesPlainHTTPAtOnce(_ storage: StorageKind) async throws {
        let tls = try TLSFiles.make()
        defer { tls.remove() }
        try await TestServer.start(serving: tls, on: storage).whileRunning { server throws in
            #expect(server.base == "https://127.0.0.1:\(server.server.port)")
            #expect(try await server.request(.GET, "/health").status == 200)

            let dialled = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                try await RESTClient(base: "http://127.0.0.1:\(server.server.port)").request(.GET, "/health")
            }
            #expect(ContinuousClock.now - dialled < .seconds(10), "a plain request is dropped, not left hanging")
        }
    }

    @Test(arguments: StorageKind.tested) func aFailedHandshakeIsOneInfoLineNotANegotiationError(_ storage: StorageKind) async throws {
        let tls = try TLSFiles.make()
        defer { tls.remove() }
        let logs = InMemoryLogHandler()
        try await withTestServer(on: storage) {
            $0.tls = tls.serverTLS
            $0.logger = Logger(label: "pythia-chat.server") { _ in logs }
        } run: { started in
            var server = started
            server.clientTLS = tls.clientConfiguration
            // A client that does not trust the certificate (the system's store), then plain
            // HTTP; each tries one connection (the shared client would retry until its timeout).
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool.retryConnectionEstablishment = false
            let oneAttempt = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            await #expect(throws: (any Error).self) { try await RESTClient(base: server.base, client: oneAttempt).request(.GET, "/health") }
            await #expect(throws: (any Error).self) {
                try await RESTClient(base: "http://127.0.0.1:\(server.server.port)", client: oneAttempt).request(.GET, "/health")
            }
            try await oneAttempt.shutdown()
            func handshakeFailures() -> [InMemoryLogHandler.Entry] {
                logs.entries.filter { $0.message.description == "TLS handshake failed" }
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while handshakeFailures().count < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))  // the server logs on its own loop
            }
            // A trusted request after both: by its answer, both refused connections have ended.
            #expect(try await server.request(.GET, "/health").status == 200)
            #expect(handshakeFailures().map(\.level) == [.info, .info])
            #expect(!logs.entries.contains { $0.level >= .error }, "\(logs.entries.filter { $0.level >= .error })")
        }
    }

    @Test(arguments: StorageKind.tested) func unusableCertificateOrKeyFilesStopTheStartNamingTheFile(_ storage: StorageKind) async throws {
        let tls = try TLSFiles.make()
        defer { tls.remove() }
        let other = try TestCertificateAuthority().issue(hosts: ["127.0.0.1"]).write(to: tls.directory, name: "other")
        let garbage = tls.directory.appendingPathComponent("garbage.pem").path
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let missing = tls.directory.appendingPathComponent("missing.pem").path
        let cases: [(ServerTLS, String)] = [
            (ServerTLS(certificatePath: missing, keyPath: tls.key), "--tls-cert \(missing) does not exist"),
            (ServerTLS(certificatePath: tls.certificate, keyPath: missing), "--tls-key \(missing) does not exist"),
            (ServerTLS(certificatePath: garbage, keyPath: tls.key), "--tls-cert \(garbage) "),
            (ServerTLS(certificatePath: tls.certificate, keyPath: garbage), "--tls-key \(garbage) is not a PEM private key"),
            (ServerTLS(certificatePath: tls.certificate, keyPath: other.key),
             "--tls-key \(other.key) does not belong to the certificate in --tls-cert \(tls.certificate)"),
        ]
        for (files, message) in cases {
            do {
                let server = try await TestServer.start(on: storage) { $0.tls = files }
                await server.stop()
                Issue.record("started with \(files)")
            } catch let error as ServerError {
                #expect(error.description.hasPrefix("cannot serve TLS: "), "\(error)")
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    @Test func theBinaryServesTLSOrExitsWithOneLine() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let tls = try TLSFiles.make()
        defer { tls.remove() }
        let other = try TestCertificateAuthority().issue(hosts: ["127.0.0.1"]).write(to: tls.directory, name: "other")
        let database = tls.directory.appendingPathComponent("chat.sqlite").path

        let serving = try await ServeProcess.start(database: database, arguments: ["--tls-cert", tls.certificate, "--tls-key", tls.key])
        #expect(serving.baseURL == "https://127.0.0.1:\(serving.port)")
        #expect(try await RESTClient(base: serving.baseURL, tls: tls.clientConfiguration).request(.GET, "/health").status == 200)
        serving.kill()

        let failures: [([String], String)] = [
            (["--tls-cert", tls.certificate, "--tls-key", other.key], "pythia-chat: cannot serve TLS: --tls-key \(other.key) does not belong"),
            (["--tls-cert", tls.directory.path + "/none.pem", "--tls-key", tls.key], "does not exist"),
            (["--tls-cert", tls.certificate], "--tls-cert and --tls-key go together"),
        ]
        for (arguments, message) in failures {
            let (status, stderr) = try await ServeProcess.runToEnd(["--serve", "--port", "0", "--db", database] + arguments)
            #expect(status != 0)
            #expect(stderr.contains(message), "stderr: \(stderr)")
        }
        let (status, stderr) = try await ServeProcess.runToEnd(["--serve", "--port", "0", "--db", database, "--tls-cert", tls.certificate, "--tls-key", other.key])
        #expect(status == 1)
        #expect(stderr.split(separator: "\n").count == 1, "one line: \(stderr)")
    }
}
