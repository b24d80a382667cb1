import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
import PythiaProtocol

/// The server's connections: HTTP/1 for Hummingbird's router, and `GET /ws?token=…`
/// authenticated and upgraded to a WebSocket served by a ``ChatSocketHandler``.
///
/// Hummingbird runs ``handle(value:logger:)`` in a task per connection. For a WebSocket it
/// returns as soon as the socket's handlers are installed (the server does not close a
/// connection whose `handle` returned): an idle socket then lives in its pipeline alone,
/// without a task, which is what keeps it small.
///
/// Every connection is first admitted by the ``ConnectionLimits`` (a refused one gets no
/// pipeline and no task), and its HTTP requests are timed by a ``RequestTimeoutHandler``.
struct WebSocketUpgrade: ServerChildChannel, HTTPChannelHandler {
    /// What a connection became once its first request was read.
    enum Negotiated: Sendable {
        case webSocket
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgrade refused with this status (401 for the token, else 400).
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPResponse.Status)
    }

    /// A connection being negotiated.
    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any NIOCore.Channel
    }

    /// The outcome of the upgrade request's checks.
    private enum Handshake: Sendable {
        case notAttempted
        case accepted(Identity, SocketRegistration)
        case refused(HTTPResponse.Status)
    }

    /// Receive buffers of 512 bytes at first, growing with what a connection reads.
    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65_536)

    /// A connection the ``ConnectionLimits`` refused (it is closed already).
    private struct OverConnectionLimit: Error {}

    let responder: HTTPChannelHandler.Responder
    private let service: ChatService
    /// Shared by every WebSocket of the server.
    private let sockets: ChatSocketEnvironment
    private let limits: ConnectionLimits
    private let http1 = HTTP1Channel.Configuration()

    /// Serves HTTP requests with `responder` and WebSockets for `service`, within `limits`.
    init(responder: @escaping HTTPChannelHandler.Responder, service: ChatService, limits: ConnectionLimits) {
        self.responder = Self.redirectingLateUpgrades(responder)
        self.service = service
        sockets = ChatSocketEnvironment(service: service)
        self.limits = limits
    }

    func setup(channel: any NIOCore.Channel, logger: Logger) -> EventLoopFuture<Value> {
        // A failed setup leaves the channel unregistered: no pipeline, no task.
        guard let connectionId = limits.admit(channel) else { return channel.eventLoop.makeFailedFuture(OverConnectionLimit()) }
        return channel.eventLoop.makeCompletedFuture {
            // NIO keeps each channel's last receive buffer for its next read, sized by this
            // allocator: 2 KiB by default, held by every idle connection. Chat traffic is small
            // frames; a read that fills the buffer makes the next one larger.
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.receiveBuffers)
            let timeouts = RequestTimeoutHandler(limits: limits, connectionId: connectionId)
            let upgradedTimeouts = NIOLoopBound(timeouts, eventLoop: channel.eventLoop)
            // Carries the handshake's outcome from its check to the pipeline's setup, both on
            // this channel's event loop.
            let handshake = NIOLoopBoundBox(Handshake.notAttempted, eventLoop: channel.eventLoop)
            let (service, sockets) = (self.service, self.sockets)
            let upgrader = ChatSocketUpgrader<Negotiated>(
                shouldUpgrade: { channel, head in
                    let promise = channel.eventLoop.makePromise(of: Handshake.self)
                    promise.completeWithTask { await Self.check(head, service: service) }
                    return promise.futureResult.map { outcome in
                        handshake.value = outcome
                        guard case .accepted(_, let registration) = outcome else { return nil }
                        // A socket closed before its handler registers it ends the hub's watch
                        // here (after a registration, which ends it, this does nothing). The
                        // close future holds the hub and the watch's number alone, for the
                        // socket's whole life: each byte is paid by every idle connection.
                        let (hub, watch) = (service.hub, registration.watch)
                        channel.closeFuture.whenComplete { _ in Task { await hub.endHandshakeWatch(watch) } }
                        return HTTPHeaders()
                    }
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard case .accepted(let identity, let registration) = handshake.value else {
                            throw ChannelError.inappropriateOperationForState
                        }
                        // WebSockets have their own ping and idle rules.
                        channel.pipeline.syncOperations.removeHandler(upgradedTimeouts.value, promise: nil)
                        try channel.pipeline.syncOperations.addHandler(
                            ChatSocketHandler(environment: sockets, identity: identity, registration: registration, channel: channel))
                        return Negotiated.webSocket
                    }
                })

            let http1 = self.http1
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Negotiated>(
                upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in
                        channel.eventLoop.makeCompletedFuture {
                            // As Hummingbird's own HTTP/1 channel sets it up.
                            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                            try channel.pipeline.syncOperations.addHandlers(http1.additionalChannelHandlers())
                            try channel.pipeline.syncOperations.addHandler(
                                HTTPConnectionStateHandler(idleTimeout: http1.idleTimeout.map { .init($0) }, logger: logger))
                            let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                            switch handshake.value {
                            case .notAttempted: return .http(asyncChannel)
                            case .refused(let status): return .refused(asyncChannel, status)
                            case .accepted: return .refused(asyncChannel, .badRequest)
                            }
                        }
                    }))
            configuration.enablePipelining = false  // NIOAsyncChannel pipelines
            configuration.enableErrorHandling = false  // Hummingbird handles errors
            configuration.enableResponseHeaderValidation = false  // HTTPTypes validates
            configuration.decoderConfiguration.maxHeaderFieldSize = http1.httpDecoder.maxHeaderFieldSize
            configuration.decoderConfiguration.maxHeaderListSize = http1.httpDecoder.maxHeaderListSize
            configuration.decoderConfiguration.maxHeaderFieldCount = http1.httpDecoder.maxHeaderFieldCount
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            let upgradeHandler = try channel.pipeline.syncOperations.handler(type: NIOTypedHTTPServerUpgradeHandler<Negotiated>.self)
            try channel.pipeline.syncOperations.addHandler(timeouts, position: .before(upgradeHandler))
            return Value(negotiated: negotiated, channel: channel)
        }.flatMapErrorThrowing { error in
            channel.close(promise: nil)  // nothing else would: it is never registered
            throw error
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            // Waiting for the first request cannot be cancelled by itself: a peer that never
            // sends one would hold this task, and the server's stop with it, for ever.
            // Closing the connection ends the wait.
            let negotiated = try await withTaskCancellationHandler {
                try await value.negotiated.get()
            } onCancel: {
                value.channel.close(promise: nil)
            }
            switch negotiated {
            case .webSocket:
                return  // the socket lives in its pipeline
            case .http(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .refused(let http, let status):
                await refuse(http, status: status, logger: logger)
            }
        } catch let error as ChannelError where error == .inputClosed {
            logger.trace("connection closed before its first request")
        } catch where !value.channel.isActive {
            // Closed by the server first: by a connection limit (which logs it) or by a stop.
            logger.trace("connection closed by the server before its first request")
        } catch {
            logger.error("connection negotiation failed", metadata: ["error": "\(error)"])
        }
    }

    /// Accepts `GET /ws` with a valid token for an existing user: the handshake is
    /// authenticated before the upgrade, so a bad token never gets a socket.
    ///
    /// Its one read is also the socket's registration's: the user's channels with the token's
    /// standing, read after the hub began watching the user (``Hub/watchHandshake(userId:tokenId:)``),
    /// so that what changes before the socket registers is applied to it.
    private static func check(_ head: HTTPRequestHead, service: ChatService) async -> Handshake {
        let uri = URI(head.uri)
        guard head.method == .GET, uri.path.split(separator: "/") == ["ws"] else { return .refused(.badRequest) }
        guard let token = uri.queryParameters.get("token"), let identity = service.tokens.verify(String(token)) else {
            return refusedToken(service)
        }
        let watch = await service.hub.watchHandshake(userId: identity.userId, tokenId: identity.tokenId)
        let outcome: Handshake
        do {
            let standing = try await service.storage.socketStanding(userId: identity.userId, tokenId: identity.tokenId)
            outcome = standing.token?.accepts(tokenGeneration: identity.tokenGeneration) == true
                ? .accepted(identity, SocketRegistration(channelIds: standing.channelIds, watch: watch))
                : refusedToken(service)
        } catch {
            service.logger.error("websocket handshake failed", metadata: ["error": "\(error)"])
            outcome = .refused(.badRequest)
        }
        if case .refused = outcome { await service.hub.endHandshakeWatch(watch) }
        return outcome
    }

    private static func refusedToken(_ service: ChatService) -> Handshake {
        service.logger.info("websocket handshake refused: missing or invalid token")
        return .refused(.unauthorized)
    }

    /// Answers a refused upgrade with its status alone, and closes the connection.
    private func refuse(_ http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, status: HTTPResponse.Status, logger: Logger) async {
        do {
            try await http.executeThenClose { _, outbound in
                let head = HTTPResponse(status: status, headerFields: [.connection: "close", .contentLength: "0"])
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
            }
        } catch {
            logger.trace("refused upgrade not written", metadata: ["error": "\(error)"])
        }
    }

    /// NIO upgrades only a connection's first request: a later one asking for a WebSocket is
    /// sent to the same URI with the connection closed, so that it comes again on a new one
    /// (as Hummingbird's WebSocket channel does).
    private static func redirectingLateUpgrades(_ responder: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        struct RedirectedUpgrade: Error {}
        return { request, writer, channel in
            guard request.headers[.upgrade] == "websocket" else {
                return try await responder(request, writer, channel)
            }
            var location = request.uri.path
            if let query = request.uri.query { location += "?\(query)" }
            try await writer.writeResponse(HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: location]))
            throw RedirectedUpgrade()
        }
    }
}
