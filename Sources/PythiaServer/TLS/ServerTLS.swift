import Foundation
import NIOSSL

/// The certificate and key that make the server speak HTTPS and WSS, both PEM files.
public struct ServerTLS: Sendable, Hashable {
    /// The certificate chain, leaf first (e.g. Let's Encrypt's `fullchain.pem`).
    public var certificatePath: String
    /// The certificate's private key (e.g. `privkey.pem`).
    public var keyPath: String

    /// Creates a TLS setting from two PEM files.
    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// Reads both files and checks that the key belongs to the certificate.
    ///
    /// - Throws: ``ServerError`` naming the file and what is wrong with it.
    func serverConfiguration() throws(ServerError) -> TLSConfiguration {
        try Self.checkReadable(certificatePath, what: "--tls-cert")
        try Self.checkReadable(keyPath, what: "--tls-key")
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw .tlsUnusable("--tls-cert \(certificatePath) is not a PEM certificate (\(error))")
        }
        guard !chain.isEmpty else { throw .tlsUnusable("--tls-cert \(certificatePath) holds no PEM certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw .tlsUnusable("--tls-key \(keyPath) is not a PEM private key, or it is encrypted (\(error))")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        do {
            // Loading both into a context is what compares the key with the certificate.
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsUnusable("--tls-key \(keyPath) does not belong to the certificate in --tls-cert \(certificatePath)")
        }
        return configuration
    }

    private static func checkReadable(_ path: String, what: String) throws(ServerError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .tlsUnusable("\(what) \(path) does not exist")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .tlsUnusable("\(what) \(path) is not readable by this user")
        }
    }
}
