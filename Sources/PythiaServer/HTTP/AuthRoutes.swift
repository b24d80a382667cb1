import Foundation
import Hummingbird
import Logging
import PythiaProtocol

/// `/api/v1/auth`: register, login (JSON or form), refresh, me.
struct AuthRoutes {
    let service: ChatService

    func add(to group: RouterGroup<ChatRequestContext>, authenticated: RouterGroup<ChatRequestContext>) {
        group.post("register") { request, _ in try await register(request) }
        group.post("login") { request, _ in try await login(request) }
        authenticated.post("refresh") { _, context in
            let identity = try context.requireIdentity()
            guard let user = try await service.storage.user(id: identity.userId) else { throw APIError.unauthorized() }
            return try jsonResponse(try await service.tokens.mint(for: user))
        }
        authenticated.get("me") { _, context in
            let identity = try context.requireIdentity()
            guard let user = try await service.storage.user(id: identity.userId) else { throw APIError.unauthorized() }
            return try jsonResponse(user)
        }
    }

    private func register(_ request: Request) async throws -> Response {
        let body = try await RequestBody.decode(RegisterRequest.self, from: request)
        if let problem = Validation.username(body.username) ?? Validation.email(body.email) ?? Validation.password(body.password) {
            throw APIError.validation(problem)
        }
        let hash = try await service.hashPassword(body.password)
        do {
            let user = try await service.storage.createUser(username: body.username, email: body.email, passwordHash: hash)
            service.logger.info("user registered", metadata: ["user_id": "\(user.id)"])
            return try jsonResponse(user, status: .created)
        } catch StorageError.conflict(let field) {
            throw APIError.conflict("\(field) is already taken")
        }
    }

    private func login(_ request: Request) async throws -> Response {
        let data = try await RequestBody.collect(request)
        let credentials: LoginRequest
        // OAuth2-style clients send a form; curl sends any body with the form content type.
        let looksLikeJSON = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{")
        let isForm = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        if isForm && !looksLikeJSON {
            do {
                credentials = try URLEncodedFormDecoder().decode(LoginRequest.self, from: String(decoding: data, as: UTF8.self))
            } catch {
                throw APIError.validation("the form needs 'username' and 'password'")
            }
        } else {
            credentials = try RequestBody.decode(LoginRequest.self, from: data)
        }
        let stored = try await service.storage.credentials(for: credentials.username)
        let matches = try await service.verifyPassword(
            String(credentials.password.prefix(128)), hash: stored?.passwordHash ?? service.decoyPasswordHash)
        guard let stored, matches, credentials.password.count <= 128 else {
            throw APIError.unauthorized("incorrect username or password")
        }
        return try jsonResponse(try await service.tokens.mint(for: stored.user))
    }
}
