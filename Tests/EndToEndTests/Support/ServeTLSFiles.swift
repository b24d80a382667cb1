import Foundation
import PythiaTestCertificates

/// A temporary directory holding a throwaway CA, another CA that signed nothing of ours, and a
/// certificate for 127.0.0.1 from the first: what a TLS end-to-end test gives the server and
/// its clients.
struct ServeTLSFiles {
    let directory: URL
    /// The PEM of the CA that signed the server's certificate.
    let caFile: String
    /// The PEM of a CA that did not.
    let wrongCA: String
    /// `--tls-cert` and `--tls-key` for `--serve`.
    let serverArguments: [String]
    /// `--tls-cert` and `--tls-key` of a certificate for 127.0.0.1 from the other CA.
    let untrustedServerArguments: [String]

    init(named prefix: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let authority = try TestCertificateAuthority()
        caFile = try authority.writeCertificate(to: directory)
        let otherAuthority = try TestCertificateAuthority(commonName: "Someone Else's CA")
        wrongCA = try otherAuthority.writeCertificate(to: directory, name: "other-ca.pem")
        let files = try authority.issue(hosts: ["127.0.0.1"]).write(to: directory)
        serverArguments = ["--tls-cert", files.certificate, "--tls-key", files.key]
        let otherFiles = try otherAuthority.issue(hosts: ["127.0.0.1"]).write(to: directory, name: "other-server")
        untrustedServerArguments = ["--tls-cert", otherFiles.certificate, "--tls-key", otherFiles.key]
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
