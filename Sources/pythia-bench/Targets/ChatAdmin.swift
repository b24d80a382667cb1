import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PythiaProtocol

/// The few REST calls a benchmark's setup makes against a pythia server.
struct ChatAdmin: Sendable {
    let baseURL: String
    let client: HTTPClient

    /// Registers `username` and logs in; returns its token.
    func registerAndLogin(username: String, password: String) async throws -> TokenResponse {
        let registration = RegisterRequest(username: username, email: "\(username)@bench.invalid", password: password)
        _ = try await send(.POST, "/api/v1/auth/register", body: registration, as: User.self)
        return try await send(.POST, "/api/v1/auth/login", body: LoginRequest(username: username, password: password), as: TokenResponse.self)
    }

    /// Creates a public channel owned by the token's user.
    func createChannel(named name: String, token: String) async throws -> PythiaProtocol.Channel {
        try await send(.POST, "/api/v1/channels/", token: token, body: CreateChannelRequest(name: name), as: PythiaProtocol.Channel.self)
    }

    /// Makes the token's user a member of a public channel.
    func join(channelID: String, token: String) async throws {
        _ = try await send(.POST, "/api/v1/channels/\(channelID)/join", token: token, body: nil as String?, as: PythiaProtocol.Channel.self)
    }

    private func send<Body: Encodable & Sendable, Reply: JSONDecodable>(
        _ method: HTTPMethod, _ path: String, token: String? = nil, body: Body?, as reply: Reply.Type
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try PythiaJSON.encode(body)))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw BenchError.targetFailed("\(method) \(path) answered \(response.status.code): \(String(buffer: bytes).prefix(200))")
        }
        return try PythiaJSON.decode(Reply.self, from: Data(bytes.readableBytesView))
    }
}
