import Hummingbird

/// The request context of every route: the authenticated identity once
/// ``AuthMiddleware`` has run.
struct ChatRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware``.
    var identity: Identity?
    /// The IP address of the socket's peer (a proxy's, behind one: see ``ClientAddress``).
    let peerAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = ClientAddress.ipAddress(of: source.channel.remoteAddress)
    }

    /// The caller, or `401` when the route was reached without authentication.
    func requireIdentity() throws(RESTError) -> Identity {
        guard let identity else { throw .unauthorized() }
        return identity
    }
}
