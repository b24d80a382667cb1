import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route: the authenticated identity once
/// ``AuthMiddleware`` has run, and the channel (for WebSocket connections).
struct ChatRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<ChatRequestContext>
    let channel: any Channel
    /// Set by ``AuthMiddleware``.
    var identity: Identity?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }

    /// The caller, or `401` when the route was reached without authentication.
    func requireIdentity() throws(APIError) -> Identity {
        guard let identity else { throw .unauthorized() }
        return identity
    }
}
