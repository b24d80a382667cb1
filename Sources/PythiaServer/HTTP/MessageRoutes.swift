import CoreMetrics
import Foundation
import Hummingbird
import PythiaProtocol

/// `/api/v1/messages`: post, history, search, edit, delete, reactions.
struct MessageRoutes {
    let service: ChatService

    func add(to group: RouterGroup<ChatRequestContext>) {
        group.post { request, context in try await post(request, context.requireIdentity()) }
        group.get { request, context in try await history(request, context.requireIdentity()) }
        group.get("search") { request, context in try await search(request, context.requireIdentity()) }
        group.post("reactions") { request, context in try await react(request, context.requireIdentity()) }
        group.patch("{id}") { request, context in
            let identity = try context.requireIdentity()
            try service.checkWriteRate(identity)
            let body = try await RequestBody.decode(EditMessageRequest.self, from: request)
            if let problem = Validation.messageContent(body.content) { throw RESTError.validation(problem) }
            let message = try await existingMessage(context.parameters.require("id"))
            guard message.userId == identity.userId else { throw RESTError.accessDenied("only the author can edit a message") }
            try await requireMember(identity, of: message.channelId)
            let updated = try await service.storage.editMessage(
                id: message.id, content: body.content.trimmingWhitespace,
                announce: { [Announcement(.messageUpdated(.init(data: $0, timestamp: Date())), to: .room($0.channelId))] },
                through: service.broker)
            return jsonResponse(updated)
        }
        group.delete("{id}") { _, context in
            let identity = try context.requireIdentity()
            try service.checkWriteRate(identity)
            let message = try await existingMessage(context.parameters.require("id"))
            let role = try await service.storage.role(of: identity.userId, in: message.channelId)
            guard role != nil else { throw RESTError.accessDenied("you are not a member of this channel") }
            guard message.userId == identity.userId || role == .owner else {
                throw RESTError.accessDenied("only the author or the channel owner can delete a message")
            }
            let deleted = Announcement(
                .messageDeleted(.init(messageId: message.id, channelId: message.channelId, timestamp: Date())),
                to: .room(message.channelId))
            try await service.storage.deleteMessage(id: message.id, announcements: [deleted], through: service.broker)
            return Response(status: .noContent)
        }
    }

    private func existingMessage(_ id: String) async throws -> Message {
        guard let message = try await service.storage.message(id: id) else { throw RESTError.notFound("no such message") }
        return message
    }

    private func requireMember(_ identity: Identity, of channelId: String) async throws {
        guard try await service.storage.role(of: identity.userId, in: channelId) != nil else {
            throw RESTError.accessDenied("you are not a member of this channel")
        }
    }

    private func post(_ request: Request, _ identity: Identity) async throws -> Response {
        try service.checkWriteRate(identity)
        let body = try await RequestBody.decode(PostMessageRequest.self, from: request)
        if let problem = Validation.messageContent(body.content) ?? body.clientId.flatMap(Validation.clientID) {
            throw RESTError.validation(problem)
        }
        let content = body.content.trimmingWhitespace
        let message: Message, created: Bool
        do {
            // The storage checks the membership as it stores the message.
            (message, created) = try await service.storage.postMessage(
                channelId: body.channelId, userId: identity.userId, content: content, clientId: body.clientId,
                mentioning: Mentions.usernames(in: content), announce: { Self.announcements(of: $0, mentioning: $1) },
                through: service.broker)
        } catch StorageError.notMember {
            // The channel (and its member count) is read only to tell a missing one (404) from
            // one the caller is not in (403).
            guard try await service.storage.channel(id: body.channelId, viewerId: identity.userId) != nil else {
                throw RESTError.notFound("no such channel")
            }
            throw RESTError.accessDenied("you are not a member of this channel")
        }
        // Stored and announced: from here on nothing may fail, or the client would retry a
        // post whose retry answers 200 and broadcasts nothing.
        guard created else { return jsonResponse(message) }
        service.metrics.messagesPosted.increment()
        return jsonResponse(message, status: .created)
    }

    /// A new message for its room, then a mention notification for each member it names.
    private static func announcements(of message: Message, mentioning mentioned: [String]) -> [Announcement] {
        let posted = Announcement(.newMessage(.init(data: message, timestamp: Date())), to: .room(message.channelId))
        guard !mentioned.isEmpty else { return [posted] }
        let mention = Mention(
            messageId: message.id, channelId: message.channelId, content: message.content,
            fromUserId: message.userId, fromUsername: message.user.username)
        return [posted, Announcement(.mentionNotification(.init(data: mention, timestamp: Date())), to: .users(mentioned))]
    }

    private func history(_ request: Request, _ identity: Identity) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = try QueryValue.limit(query.get("limit"), default: Limits.defaultHistoryLimit, max: Limits.maxHistoryLimit)
        if let around = query.get("around") {
            guard query.get("before") == nil, query.get("after") == nil else {
                throw RESTError.validation("around cannot be combined with before or after")
            }
            return jsonResponse(try await history(around: around, channelId: query.get("channel_id"), identity, limit: limit))
        }
        guard let channelId = query.get("channel_id") else { throw RESTError.validation("channel_id is required") }
        let channel = try await service.visibleChannel(channelId, for: identity)
        do {
            let messages = try await service.storage.history(
                channelId: channel.id, before: query.get("before"), after: query.get("after"), limit: limit)
            return jsonResponse(messages)
        } catch StorageError.notFound {
            throw RESTError.notFound("no message with that cursor id in this channel")
        }
    }

    /// The messages around `id`; a message the caller cannot read is as unknown as a missing one.
    private func history(around id: String, channelId: String?, _ identity: Identity, limit: Int) async throws -> [Message] {
        let unknown = RESTError.notFound("no such message in a channel you can read")
        guard let message = try await service.storage.message(id: id), channelId == nil || channelId == message.channelId,
              let channel = try await service.storage.channel(id: message.channelId, viewerId: identity.userId),
              !channel.isPrivate || channel.isMember
        else { throw unknown }
        do {
            return try await service.storage.history(channelId: channel.id, around: message.id, limit: limit)
        } catch StorageError.notFound {
            throw unknown
        }
    }

    private func search(_ request: Request, _ identity: Identity) async throws -> Response {
        let query = request.uri.queryParameters
        guard let text = query.get("q"), (1...Limits.maxSearchQueryLength).contains(text.count) else {
            throw RESTError.validation("q must be 1 to \(Limits.maxSearchQueryLength) characters")
        }
        let limit = try QueryValue.limit(query.get("limit"), default: Limits.defaultSearchLimit, max: Limits.maxSearchLimit)
        let channelId = query.get("channel_id")
        if let channelId { _ = try await service.visibleChannel(channelId, for: identity) }
        let search = SearchQuery(text)
        let messages = try await service.storage.searchMessages(
            words: search.words, viewerId: identity.userId, channelId: channelId, limit: limit)
        return try jsonResponse(messages.map { SearchHit(message: $0, highlights: search.highlights(in: $0.content) ?? []) })
    }

    private func react(_ request: Request, _ identity: Identity) async throws -> Response {
        try service.checkWriteRate(identity)
        let body = try await RequestBody.decode(ReactionRequest.self, from: request)
        let action = body.action ?? .add
        guard action == .add || action == .remove else { throw RESTError.validation("action must be 'add' or 'remove'") }
        if let problem = Validation.emoji(body.emoji) { throw RESTError.validation(problem) }
        let message = try await existingMessage(body.messageId)
        try await requireMember(identity, of: message.channelId)
        let change = ReactionChange(emoji: body.emoji, userId: identity.userId, username: identity.username, action: action)
        let reacted = Announcement(
            .messageReaction(.init(messageId: message.id, channelId: message.channelId, data: change, timestamp: Date())),
            to: .room(message.channelId))
        let result = try await service.storage.react(
            messageId: message.id, userId: identity.userId, emoji: body.emoji, add: action == .add, announcements: [reacted],
            through: service.broker)
        return try jsonResponse(ReactionResponse(messageId: message.id, emoji: body.emoji, action: action, count: result.count))
    }
}
