import Foundation
import Logging
import NIOCore
import NIOWebSocket
import PythiaProtocol

/// What one authenticated WebSocket does with the hub and storage: registers it when it
/// opens, answers its text frames, and unregisters it when it is gone. Each of these runs as
/// a job of the socket's ``SocketWork``, so they run in the order the socket saw them.
struct ChatSocket: ChatSocketEvents {
    let service: ChatService

    /// Registers the connection with the rooms of the user's channels (which queues
    /// `connection_established`), as its handshake read them; closes it with 1011 if they
    /// cannot be read.
    func open(_ connection: HubConnection, registration: SocketRegistration) async {
        logger(for: connection).info("websocket opened")
        // The handshake's watch began before its read: a membership change, logout or
        // operator's disabling committed after the read reaches the hub after the watch began,
        // and the registration applies it if it came first.
        if await service.hub.register(connection, memberOf: registration.channelIds, watchedSince: registration.watch) { return }
        // That watch has ended (the socket was closed meanwhile): read again, watched the same way.
        do {
            await service.hub.watchMembership(of: connection)
            let standing = try await service.storage.socketStanding(userId: connection.userId, tokenId: connection.tokenId)
            await service.hub.register(connection, memberOf: standing.channelIds)
            let refusal: String? = if let token = standing.token {
                token.refusal(tokenGeneration: connection.tokenGeneration)
            } else {
                ChatService.accountDeletedReason
            }
            if let refusal { connection.close(.policyViolation, reason: refusal) }
        } catch {
            service.logger.error("websocket registration failed", metadata: ["error": "\(error)"])
            connection.close(.unexpectedServerError, reason: nil)
        }
    }

    /// Unregisters the connection once its socket is closed.
    func closed(_ connection: HubConnection) async {
        await service.hub.unregister(connection)
        logger(for: connection).info("websocket closed")
    }

    /// Answers a text frame that came over the socket's frame rate.
    func refuseForRate(_ connection: HubConnection) async {
        await service.hub.send(ClientFrameError(
            code: .rateLimited, message: "Too many messages",
            details: "at most \(Int(service.configuration.frameRate.perSecond)) frames a second").event, to: connection)
    }

    private func logger(for connection: HubConnection) -> Logger {
        var logger = service.logger
        logger[metadataKey: "user_id"] = "\(connection.userId)"
        return logger
    }

    /// Answers one text frame (its UTF-8 already validated).
    func handle(_ data: Data, connection: HubConnection, identity: Identity) async {
        let hub = service.hub
        switch ClientFrame.parse(data) {
        case .failure(let error):
            await hub.send(error.event, to: connection)
        case .success(.ping):
            await hub.send(.pong(.init(timestamp: Date())), to: connection)
        case .success(let frame):
            guard let channelId = frame.channelId else { return }
            do {
                try await handle(frame, channelId: channelId, connection: connection, identity: identity)
            } catch let error as ClientFrameError {
                await hub.send(error.event, to: connection)
            } catch {
                service.logger.error("websocket frame failed", metadata: ["type": "\(frame.type)", "error": "\(error)"])
                await hub.send(.error(.init(errorCode: .internalError, message: "Internal error")), to: connection)
            }
        }
    }

    private func handle(_ frame: ClientFrame, channelId: String, connection: HubConnection, identity: Identity) async throws {
        let hub = service.hub
        switch frame {
        case .joinChannel:
            await hub.watchMembership(of: connection)
            let channel = try await checkAccess(channelId, identity, notFound: .joinChannelError)
            guard await hub.join(connection, channelId: channelId, membersOnly: channel.isPrivate) else {
                throw Self.notAMember
            }
        case .leaveChannel:
            await hub.leave(connection, channelId: channelId)
        case .typingIndicator(_, let isTyping):
            try await checkAccess(channelId, identity, notFound: .typingIndicatorError)
            await hub.setTyping(userId: identity.userId, channelId: channelId, isTyping: isTyping)
        case .getOnlineUsers:
            try await checkAccess(channelId, identity, notFound: .getOnlineUsersError)
            var online = try await service.broker.online(among: try await service.storage.memberIds(of: channelId))
            if !online.contains(identity.userId) { online.append(identity.userId) }
            await hub.send(.onlineUsers(.init(channelId: channelId, users: online, timestamp: Date())), to: connection)
        case .ping:
            break
        }
    }

    private static let notAMember = ClientFrameError(
        code: .accessDenied, message: "Access denied to channel", details: "User is not a member of this private channel")

    /// Allowed where `join_channel` is: a public channel, or a private one the user is in.
    @discardableResult
    private func checkAccess(_ channelId: String, _ identity: Identity, notFound: ErrorCode) async throws -> PythiaProtocol.Channel {
        guard let channel = try await service.storage.channel(id: channelId, viewerId: identity.userId) else {
            throw ClientFrameError(code: notFound, message: "Channel not found", details: "No channel has this id")
        }
        guard !channel.isPrivate || channel.isMember else { throw Self.notAMember }
        return channel
    }
}
