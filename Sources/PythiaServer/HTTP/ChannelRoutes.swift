import Foundation
import Hummingbird
import PythiaProtocol

/// `/api/v1/channels`: list, create, show, join, leave, members.
struct ChannelRoutes {
    let service: ChatService

    func add(to group: RouterGroup<ChatRequestContext>) {
        group.get { request, context in
            let identity = try context.requireIdentity()
            let scope: ChannelScope
            switch request.uri.queryParameters.get("scope") {
            case nil, "member": scope = .memberOf
            case "public": scope = .publicChannels
            default: throw RESTError.validation("scope must be 'public' or absent")
            }
            return try jsonResponse(try await service.storage.channels(viewerId: identity.userId, scope: scope))
        }
        group.post { request, context in try await create(request, context.requireIdentity()) }
        group.get("{id}") { _, context in
            try jsonResponse(try await service.visibleChannel(context.parameters.require("id"), for: context.requireIdentity()))
        }
        group.post("{id}/join") { _, context in
            let identity = try context.requireIdentity()
            try service.checkWriteRate(identity)
            let channel = try await service.visibleChannel(context.parameters.require("id"), for: identity)
            guard !channel.isPrivate else { throw RESTError.accessDenied("private channels are joined by invitation") }
            try await service.addMember(identity.userId, to: channel.id)
            return try jsonResponse(try await service.visibleChannel(channel.id, for: identity))
        }
        group.post("{id}/leave") { _, context in
            let identity = try context.requireIdentity()
            try service.checkWriteRate(identity)
            let id = try context.parameters.require("id")
            guard try await service.storage.channel(id: id, viewerId: identity.userId) != nil else {
                throw RESTError.notFound("no such channel")
            }
            if try await service.storage.removeMember(userId: identity.userId, from: id) {
                await service.broker.changeMembership(userId: identity.userId, channelId: id, joined: false)
            }
            return Response(status: .noContent)
        }
        group.get("{id}/members") { _, context in
            let identity = try context.requireIdentity()
            let channel = try await service.visibleChannel(context.parameters.require("id"), for: identity)
            let members = try await service.storage.members(of: channel.id)
            let online = Set(try await service.broker.online(among: members.map(\.user.id)))
            return try jsonResponse(members.map { Member(user: $0.user, role: $0.role, joinedAt: $0.joinedAt, online: online.contains($0.user.id)) })
        }
        group.post("{id}/members") { request, context in
            let identity = try context.requireIdentity()
            try service.checkWriteRate(identity)
            let body = try await RequestBody.decode(AddMemberRequest.self, from: request)
            let channel = try await service.visibleChannel(context.parameters.require("id"), for: identity)
            let role = try await service.storage.role(of: identity.userId, in: channel.id)
            guard role != nil else { throw RESTError.accessDenied("only members can add members") }
            guard !channel.isPrivate || role == .owner else {
                throw RESTError.accessDenied("only the owner can add members to a private channel")
            }
            guard try await service.storage.user(id: body.userId) != nil else { throw RESTError.notFound("no such user") }
            try await service.addMember(body.userId, to: channel.id)
            guard let added = try await service.storage.members(of: channel.id).first(where: { $0.user.id == body.userId }) else {
                throw RESTError.notFound("no such user")
            }
            let member = Member(
                user: added.user, role: added.role, joinedAt: added.joinedAt, online: try await service.broker.isOnline(body.userId))
            return try jsonResponse(member, status: .created)
        }
    }

    private func create(_ request: Request, _ identity: Identity) async throws -> Response {
        try service.checkWriteRate(identity)
        let body = try await RequestBody.decode(CreateChannelRequest.self, from: request)
        let description = body.description ?? ""
        if let problem = Validation.channelName(body.name) ?? Validation.channelDescription(description) {
            throw RESTError.validation(problem)
        }
        do {
            let channel = try await service.storage.createChannel(
                name: body.name, description: description, isPrivate: body.isPrivate ?? false, ownerId: identity.userId)
            await service.broker.changeMembership(userId: identity.userId, channelId: channel.id, joined: true)
            return try jsonResponse(channel, status: .created)
        } catch StorageError.conflict {
            throw RESTError.conflict("a channel named '\(body.name)' already exists")
        }
    }
}
