import Hummingbird
import PythiaProtocol

/// `/api/v1/users`: one user, and prefix search.
struct UserRoutes {
    let service: ChatService

    func add(to group: RouterGroup<ChatRequestContext>) {
        group.get { request, _ in
            let query = request.uri.queryParameters
            let prefix = query.get("q") ?? ""
            let limit = try QueryValue.limit(query.get("limit"), default: Limits.defaultUserSearchLimit, max: Limits.maxUserSearchLimit)
            return jsonResponse(try await service.storage.searchUsers(prefix: prefix, limit: limit))
        }
        group.get("{id}") { _, context in
            let id = try context.parameters.require("id")
            guard let user = try await service.storage.user(id: id) else { throw RESTError.notFound("no such user") }
            return jsonResponse(user)
        }
    }
}
