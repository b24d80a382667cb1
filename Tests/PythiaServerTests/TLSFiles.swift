import Foundation
import NIOSSL
import PythiaServer
import PythiaTestCertificates

/// A throwaway authority and a server certificate it signed, as files in a temporary
/// directory: what `--tls-cert`, `--tls-key` and a client's CA file point to.
struct TLSFiles {
    let directory: URL
    let caFile: String
    let certificate: String
    let key: String

    /// Makes an authority and a certificate for `hosts`.
    static func make(hosts: [String] = ["127.0.0.1", "localhost"]) throws -> TLSFiles {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let authority = try TestCertificateAuthority()
        let files = try authority.issue(hosts: hosts).write(to: directory)
        return TLSFiles(
            directory: directory, caFile: try authority.writeCertificate(to: directory),
            certificate: files.certificate, key: files.key)
    }

    var serverTLS: ServerTLS { ServerTLS(certificatePath: certificate, keyPath: key) }

    /// A client configuration that trusts only the authority.
    var clientConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(caFile)
        return configuration
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

extension TestServer {
    /// A server serving HTTPS and WSS with `tls`, whose REST calls trust its authority.
    static func start(serving tls: TLSFiles, on storage: StorageKind = .sqlite) async throws -> TestServer {
        var server = try await start(on: storage) { $0.tls = tls.serverTLS }
        server.clientTLS = tls.clientConfiguration
        return server
    }
}
