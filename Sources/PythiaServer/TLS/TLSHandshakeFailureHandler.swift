import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Turns a failed TLS handshake — a client that does not trust our certificate, a plain
/// HTTP request on the TLS port, a scanner — into one log line and the end of input, which
/// the HTTP side treats as a peer that left before its first request. Without it, the
/// closing channel would fail the pending upgrade and be logged as an error.
/// Removed once the handshake succeeds.
final class TLSHandshakeFailureHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? NIOSSLError, case .handshakeFailed = error else {
            return context.fireErrorCaught(error)
        }
        logger.info("TLS handshake failed", metadata: [
            "peer": "\(context.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)",
        ])
        // NIOSSL closes the channel itself.
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }
}
