import Hummingbird

/// The request context of every route: the authenticated identity once
/// ``AuthMiddleware`` has run.
struct ChatRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware``.
    var identity: Identity?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The caller, or `401` when the route was reached without authentication.
    func requireIdentity() throws(APIError) -> Identity {
        guard let identity else { throw .unauthorized() }
        return identity
    }
}
