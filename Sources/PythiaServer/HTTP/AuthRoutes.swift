import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PythiaProtocol

/// `/api/v1/auth`: register, login (JSON or form), refresh, logout, me.
///
/// Register and login are throttled per client address, login also per username and
/// address (``AuthThrottle``), before any password is hashed.
struct AuthRoutes {
    let service: ChatService

    private static let forwardedFor = HTTPField.Name("X-Forwarded-For")

    func add(to group: RouterGroup<ChatRequestContext>, authenticated: RouterGroup<ChatRequestContext>) {
        group.post("register") { request, context in try await register(request, from: clientAddress(request, context)) }
        group.post("login") { request, context in try await login(request, from: clientAddress(request, context)) }
        authenticated.post("refresh") { _, context in
            let identity = try context.requireIdentity()
            let sessionAge = Date().timeIntervalSince(identity.authenticatedAt)
            let limit = service.configuration.sessionLimit
            guard sessionAge <= Double(limit.components.seconds) else {
                throw RESTError.unauthorized("the session is older than \(limit.components.seconds) s, the longest this server allows; log in again")
            }
            guard let user = try await service.storage.user(id: identity.userId) else { throw RESTError.unauthorized() }
            // The same generation: a refresh never outlives a logout of every token.
            return try jsonResponse(try await service.tokens.mint(
                for: user, generation: identity.tokenGeneration, authenticatedAt: identity.authenticatedAt))
        }
        authenticated.post("logout") { request, context in
            let everyToken = request.uri.queryParameters.get("all").map { ["true", "1"].contains($0.lowercased()) } ?? false
            try await service.logOut(try context.requireIdentity(), everyToken: everyToken)
            return Response(status: .noContent)
        }
        authenticated.get("me") { _, context in
            let identity = try context.requireIdentity()
            guard let user = try await service.storage.user(id: identity.userId) else { throw RESTError.unauthorized() }
            return jsonResponse(user)
        }
    }

    private func clientAddress(_ request: Request, _ context: ChatRequestContext) -> String {
        let forwarded = Self.forwardedFor.map { request.headers[values: $0] } ?? []
        return service.clientAddress.resolve(peer: context.peerAddress, forwardedFor: forwarded)
    }

    private func register(_ request: Request, from address: String) async throws -> Response {
        try await countingRefusals { try service.authThrottle.checkAttempt(from: address) }
        let body = try await RequestBody.decode(RegisterRequest.self, from: request)
        if let problem = Validation.username(body.username) ?? Validation.email(body.email) ?? Validation.password(body.password) {
            throw RESTError.validation(problem)
        }
        let hash = try await countingRefusals { try await service.passwords.hash(body.password) }
        do {
            let user = try await service.storage.createUser(username: body.username, email: body.email, passwordHash: hash)
            service.logger.info("user registered", metadata: ["user_id": "\(user.id)"])
            await service.welcome(user)
            return jsonResponse(user, status: .created)
        } catch StorageError.conflict(let field) {
            throw RESTError.conflict("\(field) is already taken")
        }
    }

    private func login(_ request: Request, from address: String) async throws -> Response {
        try await countingRefusals { try service.authThrottle.checkAttempt(from: address) }
        let data = try await RequestBody.collect(request)
        let credentials: LoginRequest
        // OAuth2-style clients send a form; curl sends any body with the form content type.
        let looksLikeJSON = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{")
        let isForm = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        if isForm && !looksLikeJSON {
            do {
                credentials = try URLEncodedFormDecoder().decode(LoginRequest.self, from: String(decoding: data, as: UTF8.self))
            } catch {
                throw RESTError.validation("the form needs 'username' and 'password'")
            }
        } else {
            credentials = try RequestBody.decode(LoginRequest.self, from: data)
        }
        try await countingRefusals { try service.authThrottle.admitLogin(username: credentials.username, from: address) }
        let stored = try await service.storage.credentials(for: credentials.username)
        let matches = try await countingRefusals {
            try await service.passwords.verify(
                String(credentials.password.prefix(128)), against: stored?.passwordHash ?? service.decoyPasswordHash)
        }
        guard let stored, matches, credentials.password.count <= 128 else {
            service.logger.notice("login failed", metadata: ["client": "\(address)"])
            throw RESTError.unauthorized(RESTError.wrongCredentials)
        }
        // Refused (401, a wrong password's message) when the account is disabled.
        let token = try await service.mintToken(for: stored.user)
        service.authThrottle.loginSucceeded(username: credentials.username, from: address)
        if service.passwords.needsUpgrade(stored.passwordHash) {
            // A hash of the old scheme, replaced now that the password is known; the login
            // stands either way, and the next one tries again.
            do {
                try await service.storage.setPasswordHash(await service.passwords.hash(credentials.password), userId: stored.user.id)
            } catch {
                service.logger.warning("password hash not upgraded", metadata: ["user_id": "\(stored.user.id)", "error": "\(error)"])
            }
        }
        return try jsonResponse(token)
    }

    /// Runs `work`, counting a `429` it throws on `/metrics`.
    private func countingRefusals<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as RESTError where error.code == .rateLimited {
            service.metrics.authRateRefusals.increment()
            throw error
        }
    }
}
