public import Foundation
import NIOSSL
import NIOCore

/// Which certificate authorities an `https`/`wss` server's certificate must chain to:
/// the system's trust store, or the ones in a PEM file (`--ca-file`, `SSL_CERT_FILE`).
public struct ServerTrust: Hashable, Sendable, CustomStringConvertible {
    /// The PEM file the authorities came from; `nil` for the system's trust store.
    public let caFile: String?
    private let authorities: [NIOSSLCertificate]

    /// The system's trust store.
    public static let system = ServerTrust(caFile: nil, authorities: [])

    private init(caFile: String?, authorities: [NIOSSLCertificate]) {
        self.caFile = caFile
        self.authorities = authorities
    }

    /// The authorities in the PEM file at `path`, trusted instead of the system's.
    ///
    /// - Throws: ``ServerTrustError`` when the file cannot be read or holds no certificate.
    public init(caFile path: String) throws(ServerTrustError) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ServerTrustError("the CA file \(path) does not exist or is not readable")
        }
        let authorities: [NIOSSLCertificate]
        do {
            authorities = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw ServerTrustError("the CA file \(path) is not PEM certificates (\(error))")
        }
        guard !authorities.isEmpty else { throw ServerTrustError("the CA file \(path) holds no PEM certificate") }
        self.init(caFile: path, authorities: authorities)
    }

    /// `--ca-file` when given, else a non-empty `SSL_CERT_FILE`, else the system's store.
    public static func resolve(
        caFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ServerTrustError) -> ServerTrust {
        if let caFile { return try ServerTrust(caFile: caFile) }
        if let fromEnvironment = environment["SSL_CERT_FILE"], !fromEnvironment.isEmpty {
            do {
                return try ServerTrust(caFile: fromEnvironment)
            } catch {
                throw ServerTrustError("SSL_CERT_FILE: \(error)")
            }
        }
        return .system
    }

    /// A client configuration that verifies the certificate chain and the host name.
    var clientConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if caFile != nil { configuration.trustRoots = .certificates(authorities) }
        // Closing waits for the server's close_notify, which a server that has already
        // closed its WebSocket may never send: NIOSSL's default wait of 5 s would hold up
        // every stop (and the chat UI's quit) over wss, where ws:// stops at once.
        configuration.shutdownTimeout = .milliseconds(250)
        return configuration
    }

    /// Where the trusted authorities come from, for error messages.
    public var description: String { caFile.map { "the CA file \($0)" } ?? "the system's trust store" }
}
