import HTTPTypes
import HummingbirdCore
import NIOHTTPTypes
import NIOCore
import Synchronization

/// Makes a WebSocket handshake refused for its token answer `401` instead of the `400`
/// hummingbird-websocket writes for every refused upgrade.
///
/// The auth middleware marks the connection; ``UnauthorizedUpgradeHandler``, which sits in
/// the pipeline of every connection that was not upgraded, rewrites the status of that
/// connection's refusal (and of nothing else).
final class RefusedHandshakes: Sendable {
    private let refused = Mutex<Set<ObjectIdentifier>>([])

    func markUnauthorized(_ channel: any Channel) {
        refused.withLock { set in
            if set.count > 10_000 { set.removeAll() }  // connections that died before their answer
            set.insert(ObjectIdentifier(channel))
        }
    }

    func takeUnauthorized(_ channel: any Channel) -> Bool {
        refused.withLock { $0.remove(ObjectIdentifier(channel)) != nil }
    }

    /// A handler for one connection's pipeline.
    func makeHandler() -> UnauthorizedUpgradeHandler { UnauthorizedUpgradeHandler(refused: self) }
}

/// Rewrites a refused upgrade's `400` to `401` when the refusal was for the token.
final class UnauthorizedUpgradeHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let refused: RefusedHandshakes

    init(refused: RefusedHandshakes) { self.refused = refused }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest, refused.takeUnauthorized(context.channel) {
            head.status = .unauthorized
            context.write(wrapOutboundOut(.head(head)), promise: promise)
            return
        }
        context.write(data, promise: promise)
    }
}
