import Foundation
import NIOHTTP1
public import PythiaProtocol

extension APIClient {
    // MARK: - Auth

    /// `POST /api/v1/auth/register`: creates an account.
    public func register(username: String, email: String, password: String) async throws(APIError) -> User {
        try await call(.POST, "/api/v1/auth/register", body: RegisterRequest(username: username, email: email, password: password), as: User.self)
    }

    /// `POST /api/v1/auth/login`: exchanges a user name (or e-mail) and password for a token.
    public func login(username: String, password: String) async throws(APIError) -> TokenResponse {
        try await call(.POST, "/api/v1/auth/login", body: LoginRequest(username: username, password: password), as: TokenResponse.self)
    }

    /// `POST /api/v1/auth/refresh`: a still-valid token buys a fresh one.
    public func refresh() async throws(APIError) -> TokenResponse {
        try await call(.POST, "/api/v1/auth/refresh", as: TokenResponse.self)
    }

    /// `GET /api/v1/auth/me`: the token's account.
    public func me() async throws(APIError) -> User {
        try await call(.GET, "/api/v1/auth/me", as: User.self)
    }

    // MARK: - Users

    /// `GET /api/v1/users/{id}`.
    public func user(id: String) async throws(APIError) -> User {
        try await call(.GET, "/api/v1/users/\(Self.pathComponent(id))", as: User.self)
    }

    /// `GET /api/v1/users/?q=`: users whose name starts with `prefix`.
    public func searchUsers(prefix: String, limit: Int = Limits.defaultUserSearchLimit) async throws(APIError) -> [User] {
        try await call(.GET, "/api/v1/users/", query: [.init(name: "q", value: prefix), .init(name: "limit", value: String(limit))], as: [User].self)
    }

    // MARK: - Channels

    /// `GET /api/v1/channels/`: the channels we are a member of.
    ///
    /// - Throws: ``APIError/Kind/noPythiaServer`` for a 404.
    public func channels() async throws(APIError) -> [Channel] {
        try await channelList(query: [])
    }

    /// `GET /api/v1/channels/?scope=public`: every public channel.
    ///
    /// - Throws: ``APIError/Kind/noPythiaServer`` for a 404.
    public func publicChannels() async throws(APIError) -> [Channel] {
        try await channelList(query: [.init(name: "scope", value: "public")])
    }

    /// Both channel lists exist on every Pythia server, for every token: a 404 there means
    /// the URL is not a Pythia server, which no retry or other channel name can change.
    private func channelList(query: [URLQueryItem]) async throws(APIError) -> [Channel] {
        do {
            return try await call(.GET, "/api/v1/channels/", query: query, as: [Channel].self)
        } catch where error.kind == .notFound {
            throw APIError(kind: .noPythiaServer, status: error.status, detail: ConnectionFailure.noServerMessage(at: endpoint))
        }
    }

    /// `GET /api/v1/channels/{id}`.
    public func channel(id: String) async throws(APIError) -> Channel {
        try await call(.GET, "/api/v1/channels/\(Self.pathComponent(id))", as: Channel.self)
    }

    /// `POST /api/v1/channels/`: creates a channel we own.
    public func createChannel(name: String, description: String? = nil, isPrivate: Bool = false) async throws(APIError) -> Channel {
        try await call(.POST, "/api/v1/channels/", body: CreateChannelRequest(name: name, description: description, isPrivate: isPrivate), as: Channel.self)
    }

    /// `POST /api/v1/channels/{id}/join`: becomes a member of a public channel.
    public func joinChannel(id: String) async throws(APIError) -> Channel {
        try await call(.POST, "/api/v1/channels/\(Self.pathComponent(id))/join", as: Channel.self)
    }

    /// `POST /api/v1/channels/{id}/leave`.
    public func leaveChannel(id: String) async throws(APIError) {
        _ = try await call(.POST, "/api/v1/channels/\(Self.pathComponent(id))/leave")
    }

    /// `GET /api/v1/channels/{id}/members`.
    public func members(channelId: String) async throws(APIError) -> [Member] {
        try await call(.GET, "/api/v1/channels/\(Self.pathComponent(channelId))/members", as: [Member].self)
    }

    /// `POST /api/v1/channels/{id}/members`: adds another user.
    public func addMember(userId: String, to channelId: String) async throws(APIError) {
        _ = try await call(.POST, "/api/v1/channels/\(Self.pathComponent(channelId))/members", body: AddMemberRequest(userId: userId))
    }

    // MARK: - Messages

    /// `POST /api/v1/messages/`: posts a message; the same `clientId` never posts twice.
    public func postMessage(channelId: String, content: String, clientId: String?) async throws(APIError) -> Message {
        try await call(.POST, "/api/v1/messages/", body: PostMessageRequest(channelId: channelId, content: content, clientId: clientId), as: Message.self)
    }

    /// `GET /api/v1/messages/`: a page of history, oldest first.
    public func messages(
        channelId: String, before: String? = nil, after: String? = nil, limit: Int = Limits.defaultHistoryLimit
    ) async throws(APIError) -> [Message] {
        var query = [URLQueryItem(name: "channel_id", value: channelId), URLQueryItem(name: "limit", value: String(limit))]
        if let before { query.append(.init(name: "before", value: before)) }
        if let after { query.append(.init(name: "after", value: after)) }
        return try await call(.GET, "/api/v1/messages/", query: query, as: [Message].self)
    }

    /// `GET /api/v1/messages/?around=`: up to `limit` messages centred on `id`, `id`
    /// included, oldest first; `channelId`, when given, must be the message's channel.
    public func messages(
        around id: String, channelId: String? = nil, limit: Int = Limits.defaultHistoryLimit
    ) async throws(APIError) -> [Message] {
        var query = [URLQueryItem(name: "around", value: id), URLQueryItem(name: "limit", value: String(limit))]
        if let channelId { query.append(.init(name: "channel_id", value: channelId)) }
        return try await call(.GET, "/api/v1/messages/", query: query, as: [Message].self)
    }

    /// `GET /api/v1/messages/search`: our messages containing every word of `query` as a
    /// word prefix, newest first. A 404 (``APIError/Kind/notFound``) without `channelId`
    /// means the server has no search.
    public func search(
        _ query: String, channelId: String? = nil, limit: Int = Limits.defaultSearchLimit
    ) async throws(APIError) -> [SearchHit] {
        var items = [URLQueryItem(name: "q", value: query), URLQueryItem(name: "limit", value: String(limit))]
        if let channelId { items.append(.init(name: "channel_id", value: channelId)) }
        return try await call(.GET, "/api/v1/messages/search", query: items, as: [SearchHit].self)
    }

    /// `PATCH /api/v1/messages/{id}`: edits our message.
    public func editMessage(id: String, content: String) async throws(APIError) -> Message {
        try await call(.PATCH, "/api/v1/messages/\(Self.pathComponent(id))", body: EditMessageRequest(content: content), as: Message.self)
    }

    /// `DELETE /api/v1/messages/{id}`.
    public func deleteMessage(id: String) async throws(APIError) {
        _ = try await call(.DELETE, "/api/v1/messages/\(Self.pathComponent(id))")
    }

    /// `POST /api/v1/messages/reactions`: adds or removes our reaction.
    public func react(messageId: String, emoji: String, action: ReactionAction = .add) async throws(APIError) -> ReactionResponse {
        try await call(.POST, "/api/v1/messages/reactions", body: ReactionRequest(messageId: messageId, emoji: emoji, action: action), as: ReactionResponse.self)
    }

    /// `GET /health`.
    public func health() async throws(APIError) -> HealthStatus {
        try await call(.GET, "/health", as: HealthStatus.self)
    }

    /// An id made safe for a path segment: ids are opaque to clients.
    private static func pathComponent(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
    }
}
