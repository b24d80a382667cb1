import Crypto
public import Foundation
import SwiftASN1
import X509

/// A throwaway certificate authority made at run time, and the server certificates it
/// signs: for tests that serve TLS without a certificate checked into the repository.
///
/// ```swift
/// let authority = try TestCertificateAuthority()
/// let caFile = try authority.writeCertificate(to: directory)
/// let files = try authority.issue(hosts: ["127.0.0.1", "localhost"]).write(to: directory)
/// ```
public struct TestCertificateAuthority: Sendable {
    /// The authority's own certificate, PEM: what a client trusts (`--ca-file`).
    public let certificatePEM: String
    private let key: P256.Signing.PrivateKey
    private let name: DistinguishedName

    /// Makes a new authority with a fresh key, valid from an hour ago for a day.
    public init(commonName: String = "Pythia Test CA") throws {
        key = P256.Signing.PrivateKey()
        name = try DistinguishedName { CommonName(commonName) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86_400,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
        certificatePEM = try certificate.serializeAsPEM().pemString
    }

    /// Writes the authority's certificate to `directory/name`; returns its path.
    public func writeCertificate(to directory: URL, name: String = "ca.pem") throws -> String {
        let file = directory.appendingPathComponent(name)
        try Data(certificatePEM.utf8).write(to: file)
        return file.path
    }

    /// A server certificate for `hosts` (DNS names, or IPv4/IPv6 literals as IP
    /// addresses), signed by this authority and valid from `notValidBefore` to `notValidAfter`.
    public func issue(
        hosts: [String], notValidBefore: Date = Date() - 3600, notValidAfter: Date = Date() + 86_400
    ) throws -> IssuedCertificate {
        let serverKey = P256.Signing.PrivateKey()
        let names = hosts.map { host -> GeneralName in
            if let address = Self.ipAddressBytes(host) { return .ipAddress(ASN1OctetString(contentBytes: address[...])) }
            return .dnsName(host)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: notValidBefore, notValidAfter: notValidAfter,
            issuer: name, subject: try DistinguishedName { CommonName(hosts.first ?? "server") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(key))
        return IssuedCertificate(
            certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: serverKey.pemRepresentation)
    }

    /// The network-order bytes of an IPv4 or IPv6 literal, `nil` for a host name.
    private static func ipAddressBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// A server certificate and its private key, both PEM.
public struct IssuedCertificate: Sendable {
    /// The certificate, PEM.
    public let certificatePEM: String
    /// Its private key, PEM (PKCS #8).
    public let privateKeyPEM: String

    /// Writes `NAME-cert.pem` and `NAME-key.pem` into `directory`; returns their paths.
    public func write(to directory: URL, name: String = "server") throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("\(name)-cert.pem")
        let key = directory.appendingPathComponent("\(name)-key.pem")
        try Data(certificatePEM.utf8).write(to: certificate)
        try Data(privateKeyPEM.utf8).write(to: key)
        return (certificate.path, key.path)
    }
}
