import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A server certificate the client refused, explained in one line that names the host and
/// says what failed: an authority we do not trust, an expired certificate, or a certificate
/// for another host.
///
/// BoringSSL reports an untrusted and an expired certificate alike ("certificate verify
/// failed"), so on that failure the certificate is fetched once more, without trusting
/// it, to read its dates.
enum CertificateRejection {
    /// The explanation when `error` is a refused server certificate, else `nil`.
    static func explain(_ error: any Error, endpoint: ServerEndpoint) async -> String? {
        let host = endpoint.hostAndPort
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "the certificate of \(host) is not issued for \(endpoint.baseURL.host ?? host) (host-name mismatch); "
                + "connect with a name the certificate lists"
        }
        guard case .handshakeFailed(let reason)? = error as? NIOSSLError,
              String(describing: reason).contains("CERTIFICATE_VERIFY_FAILED")
        else { return nil }
        let now = Date()
        if let leaf = await presentedCertificate(endpoint) {
            let notAfter = Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter))
            let notBefore = Date(timeIntervalSince1970: TimeInterval(leaf.notValidBefore))
            if notAfter < now {
                return "the certificate of \(host) expired on \(format(notAfter)); the server must renew it"
            }
            if notBefore > now {
                return "the certificate of \(host) is not valid before \(format(notBefore)); check this computer's clock"
            }
        }
        return "the certificate of \(host) is not signed by an authority in \(endpoint.trust) (wrong CA or self-signed); "
            + "give the server's CA with --ca-file"
    }

    /// The leaf certificate `endpoint` presents, read during a handshake that then fails
    /// on purpose: nothing is sent to a server we do not trust.
    private static func presentedCertificate(_ endpoint: ServerEndpoint) async -> NIOSSLCertificate? {
        guard let host = endpoint.baseURL.host else { return nil }
        var configuration = endpoint.trust.clientConfiguration
        configuration.certificateVerification = .noHostnameVerification
        guard let context = try? NIOSSLContext(configuration: configuration) else { return nil }
        let leaf = Mutex<NIOSSLCertificate?>(nil)
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: context, serverHostname: isAddress ? nil : host,
                        customVerificationCallback: { certificates, promise in
                            leaf.withLock { $0 = certificates.first }
                            promise.succeed(.failed)
                        }, configuration: .init())
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        do {
            let channel = try await bootstrap.connect(host: host, port: endpoint.baseURL.port ?? 443).get()
            // The refused verification ends the handshake and closes the channel; a server
            // that never answers the hello is not waited for.
            let giveUp = channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
            try? await channel.closeFuture.get()
            giveUp.cancel()
        } catch {
            return nil
        }
        return leaf.withLock { $0 }
    }

    private static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
