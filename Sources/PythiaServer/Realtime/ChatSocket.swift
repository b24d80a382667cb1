import CoreMetrics
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import PythiaProtocol

/// Runs one authenticated WebSocket: registers it with the hub, writes its queue, reads
/// and answers its frames, closes it when its token expires, and cleans up after it.
struct ChatSocket {
    let service: ChatService

    func run(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        context: WebSocketRouterContext<ChatRequestContext>
    ) async throws {
        guard let identity = context.requestContext.identity else { return }
        let connection = Connection(
            userId: identity.userId, username: identity.username, channel: context.requestContext.channel,
            queueLimit: service.configuration.outboundQueueLimit,
            sendClose: { code, reason in try await outbound.close(code, reason: reason) })
        var logger = service.logger
        logger[metadataKey: "user_id"] = "\(identity.userId)"
        logger.info("websocket opened")
        let channelIds = try await service.storage.channelIds(memberOf: identity.userId)
        await service.hub.register(connection, memberOf: channelIds)
        defer { logger.info("websocket closed", metadata: connection.wasDropped ? ["reason": "too slow"] : [:]) }

        // A timer on the socket's event loop, not a sleeping task: it costs an idle
        // connection next to nothing.
        let lifetime = TimeAmount.nanoseconds(Int64(max(0, identity.expiresAt.timeIntervalSinceNow) * 1e9))
        let expiry = connection.eventLoop.scheduleTask(in: lifetime) {
            connection.close(.policyViolation, reason: "token expired")
        }
        defer { expiry.cancel() }
        do {
            try await read(inbound, connection: connection, identity: identity)
        } catch {
            await service.hub.unregister(connection)
            throw error
        }
        await service.hub.unregister(connection)
        await connection.closeSent()
    }

    private func read(_ inbound: WebSocketInboundStream, connection: Connection, identity: Identity) async throws {
        var bucket = TokenBucket(service.configuration.frameRate)
        for try await message in inbound.messages(maxSize: Limits.maxPayloadBytes) {
            guard case .text(let text) = message else {
                connection.close(.unacceptableData, reason: "binary frames are not accepted")
                return
            }
            if bucket.take() != nil {
                service.metrics.frameRateRefusals.increment()
                await service.hub.send(ClientFrameError(
                    code: .rateLimited, message: "Too many messages",
                    details: "at most \(Int(service.configuration.frameRate.perSecond)) frames a second").event, to: connection)
                continue
            }
            await handle(Data(text.utf8), connection: connection, identity: identity)
        }
    }

    private func handle(_ data: Data, connection: Connection, identity: Identity) async {
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

    private func handle(_ frame: ClientFrame, channelId: String, connection: Connection, identity: Identity) async throws {
        let hub = service.hub
        switch frame {
        case .joinChannel:
            try await checkAccess(channelId, identity, notFound: .joinChannelError)
            await hub.join(connection, channelId: channelId)
        case .leaveChannel:
            await hub.leave(connection, channelId: channelId)
        case .typingIndicator(_, let isTyping):
            try await checkAccess(channelId, identity, notFound: .typingIndicatorError)
            await hub.setTyping(userId: identity.userId, channelId: channelId, isTyping: isTyping)
        case .getOnlineUsers:
            try await checkAccess(channelId, identity, notFound: .getOnlineUsersError)
            var online = await hub.online(among: try await service.storage.memberIds(of: channelId))
            if !online.contains(identity.userId) { online.append(identity.userId) }
            await hub.send(.onlineUsers(.init(channelId: channelId, users: online, timestamp: Date())), to: connection)
        case .ping:
            break
        }
    }

    /// Allowed where `join_channel` is: a public channel, or a private one the user is in.
    private func checkAccess(_ channelId: String, _ identity: Identity, notFound: ErrorCode) async throws {
        guard let channel = try await service.storage.channel(id: channelId, viewerId: identity.userId) else {
            throw ClientFrameError(code: notFound, message: "Channel not found", details: "No channel has this id")
        }
        guard !channel.isPrivate || channel.isMember else {
            throw ClientFrameError(
                code: .accessDenied, message: "Access denied to channel",
                details: "User is not a member of this private channel")
        }
    }
}
