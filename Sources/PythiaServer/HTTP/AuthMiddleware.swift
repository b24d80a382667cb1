import Hummingbird
import Logging

/// Authenticates REST requests by `Authorization: Bearer <token>`; refuses anything else
/// with `401` before the handler.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ChatRequestContext

    let tokens: TokenAuthority
    let storage: any ChatStorage

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let token = request.headers[.authorization].flatMap { header in
            let parts = header.split(separator: " ", maxSplits: 1)
            return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
        }
        guard let identity = try await Self.identity(for: token, tokens: tokens, storage: storage) else {
            throw RESTError.unauthorized()
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }

    /// Who `token` speaks for, if it is valid, its user still exists and it was not logged
    /// out (REST; a WebSocket handshake reads the same standing with its channels).
    static func identity(for token: String?, tokens: TokenAuthority, storage: any ChatStorage) async throws -> Identity? {
        guard let token, let identity = tokens.verify(token),
              try await storage.tokenStanding(userId: identity.userId, tokenId: identity.tokenId)?
                .accepts(tokenGeneration: identity.tokenGeneration) == true
        else {
            return nil
        }
        return identity
    }
}
