import Hummingbird
import Logging

/// Authenticates REST requests by `Authorization: Bearer <token>`, or the WebSocket
/// handshake by `?token=<token>`; refuses anything else with `401` before the handler.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ChatRequestContext

    /// Where the token is read from.
    enum Source: Sendable { case bearerHeader, queryParameter }

    let tokens: TokenAuthority
    let storage: any ChatStorage
    let source: Source
    /// Where a refused handshake is marked so that it is answered `401`.
    var refusedHandshakes: RefusedHandshakes?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let token: String? = switch source {
        case .bearerHeader:
            request.headers[.authorization].flatMap { header in
                let parts = header.split(separator: " ", maxSplits: 1)
                return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
            }
        case .queryParameter:
            request.uri.queryParameters.get("token")
        }
        guard let token, let identity = await tokens.verify(token),
              try await storage.user(id: identity.userId) != nil
        else {
            if let refusedHandshakes {
                refusedHandshakes.markUnauthorized(context.channel)
                context.logger.info("websocket handshake refused: missing or invalid token")
            }
            throw APIError.unauthorized()
        }
        var context = context
        context.identity = identity
        return try await next(request, context)
    }
}
