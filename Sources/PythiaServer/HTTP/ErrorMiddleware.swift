import Hummingbird
import Logging

/// Turns every error into the `{detail, code}` body; anything unexpected becomes a
/// `500 internal_error` that is logged here and never described to the client.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as RESTError {
            return error.response
        } catch let error as HTTPError {
            return RESTError(error).response
        } catch StorageError.notFound(let what) {
            return RESTError.notFound("no such \(what)").response
        } catch StorageError.conflict(let field) {
            return RESTError.conflict("\(field) is already taken").response
        } catch StorageError.unavailable(let reason) {
            context.logger.warning("database unavailable", metadata: ["path": "\(request.uri.path)", "reason": "\(reason)"])
            return RESTError.databaseUnavailable.response
        } catch {
            context.logger.error("request failed", metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(String(reflecting: error))",
            ])
            return RESTError.internalError.response
        }
    }
}
