import CoreMetrics
import Foundation
import NIOCore
import NIOWebSocket

/// Serves one authenticated WebSocket on its event loop, as the last handler of its pipeline
/// (behind NIO's frame decoder, protocol error handler and ``NIOWebSocketFrameAggregator``).
///
/// Everything an idle socket needs is here, without a task: answering pings, pinging the peer
/// and closing it when it answers nothing for a whole ping interval (1001), closing it when its
/// token expires (1008), the close handshake and its timeout. Text frames are checked here
/// (UTF-8: 1007; binary: 1003; the frame rate: a `rate_limited` error) and then handed, with
/// the socket's opening and closing, to its ``SocketWork``, in order; while too many wait, the
/// socket is not read.
final class ChatSocketHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// How long a close frame waits for the peer's before the socket is shut.
    static let closeTimeout = TimeAmount.seconds(5)
    /// How many jobs may wait before the socket stops being read.
    private static let workLimit = 32

    private enum State { case open, closing, closed }

    private let socket: ChatSocket
    private let identity: Identity
    private let connection: Connection
    private let pingInterval: TimeAmount
    private let work: SocketWork
    private var bucket: TokenBucket
    private var state = State.open
    private var context: ChannelHandlerContext?
    private var pingTimer: Scheduled<Void>?
    private var expiryTimer: Scheduled<Void>?
    private var closeTimer: Scheduled<Void>?
    /// The payload of the ping the peer has not answered yet.
    private var unansweredPing: (UInt64, UInt64)?
    private var readingPaused = false
    private var readPending = false

    /// A handler for `channel`, upgraded for `identity`.
    init(service: ChatService, identity: Identity, channel: any Channel) {
        socket = ChatSocket(service: service)
        self.identity = identity
        connection = Connection(
            userId: identity.userId, username: identity.username, channel: channel,
            queueLimit: service.configuration.outboundQueueLimit)
        pingInterval = TimeAmount(service.configuration.pingInterval)
        bucket = TokenBucket(service.configuration.frameRate)
        work = SocketWork(limit: Self.workLimit) {
            channel.eventLoop.execute {
                (try? channel.pipeline.syncOperations.handler(type: ChatSocketHandler.self))?.resumeReading()
            }
        }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let loop = context.eventLoop.assumeIsolated()
        pingTimer = loop.scheduleTask(in: pingInterval) { self.pingDue() }
        expiryTimer = loop.scheduleTask(in: .clamped(seconds: identity.expiresAt.timeIntervalSinceNow)) {
            self.close(.policyViolation, reason: "token expired")
        }
        let (socket, connection) = (self.socket, self.connection)
        work.enqueue { await socket.open(connection) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .closed
        connection.markClosing()
        cancelTimers()
        let (socket, connection) = (self.socket, self.connection)
        work.enqueue { await socket.closed(connection) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .connectionClose:
            receivedClose(frame, context: context)
        case _ where state != .open:
            // After our close only the peer's close matters.
            return
        case .text:
            guard frame.reservedBits.isEmpty else { return close(.protocolError, reason: nil) }
            receivedText(frame.unmaskedData)
        case .binary:
            guard frame.reservedBits.isEmpty else { return close(.protocolError, reason: nil) }
            close(.unacceptableData, reason: "binary frames are not accepted")
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            if let ping = unansweredPing, Self.payload(ping, matches: frame.unmaskedData) { unansweredPing = nil }
        default:
            close(.protocolError, reason: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge:
            close(.messageTooLarge, reason: nil)
        case is NIOWebSocketFrameAggregator.Error:
            close(.protocolError, reason: nil)
        case is NIOWebSocketError:
            // The protocol error handler has sent the close (1002, or 1009 for a frame over the
            // limit) and shuts the socket.
            state = .closed
            connection.markClosing()
        default:
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The server quiesces its connections when it stops; ``ChatServer/shutdown()`` has
        // normally closed this one already.
        if event is ChannelShouldQuiesceEvent {
            close(.goingAway, reason: "server shutting down")
        } else if let event = event as? ChannelEvent, event == .inputClosed {
            // The server allows half-closed sockets, so a peer that is gone without a close
            // frame only shuts our input: end the socket (with a 1000 if nothing was sent).
            peerFinished(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    /// Sends a close frame (once); the socket is shut when the peer answers it, or `grace` later.
    func close(_ code: WebSocketErrorCode, reason: String?, grace: TimeAmount = ChatSocketHandler.closeTimeout) {
        guard state == .open, let context else { return }
        state = .closing
        pingTimer?.cancel()
        expiryTimer?.cancel()
        sendClose(code, reason: reason, context: context)
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: grace) { context.close(promise: nil) }
    }

    // MARK: Frames

    private func receivedText(_ text: ByteBuffer) {
        guard String(validating: text.readableBytesView, as: UTF8.self) != nil else {
            return close(.dataInconsistentWithMessage, reason: nil)
        }
        let (socket, connection, identity) = (self.socket, self.connection, self.identity)
        let full: Bool
        if bucket.take() != nil {
            socket.service.metrics.frameRateRefusals.increment()
            full = work.enqueue { await socket.refuseForRate(connection) }
        } else {
            let data = Data(text.readableBytesView)
            full = work.enqueue { await socket.handle(data, connection: connection, identity: identity) }
        }
        if full { readingPaused = true }
    }

    private func resumeReading() {
        readingPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    /// The close handshake as RFC 6455 has it: a close answering ours ends it; a close of the
    /// peer's own is answered (1000, or 1002 for a malformed one) and the socket shut.
    private func receivedClose(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        switch state {
        case .open:
            finish(Self.answer(toClose: frame), reason: nil, context: context)
        case .closing:
            state = .closed
            context.close(promise: nil)
        case .closed:
            break
        }
    }

    private func peerFinished(context: ChannelHandlerContext) {
        guard state == .open else { return context.close(promise: nil) }
        finish(.normalClosure, reason: nil, context: context)
    }

    /// Sends a last close frame and shuts the socket once it is written, without waiting for
    /// the peer's answer.
    private func finish(_ code: WebSocketErrorCode, reason: String?, context: ChannelHandlerContext) {
        state = .closed
        cancelTimers()
        sendClose(code, reason: reason, context: context)
            .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private static func answer(toClose frame: WebSocketFrame) -> WebSocketErrorCode {
        var data = frame.unmaskedData
        let size = data.readableBytes
        let code = data.readWebSocketErrorCode()
        guard frame.reservedBits.isEmpty, size != 1,
              String(validating: data.readableBytesView, as: UTF8.self) != nil
        else { return .protocolError }
        // 3000–4999 are for libraries and applications; other codes unknown to NIO are invalid.
        if case .unknown(let number) = code, number < 3000 || number > 4999 { return .protocolError }
        return .normalClosure
    }

    @discardableResult
    private func sendClose(_ code: WebSocketErrorCode, reason: String?, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        connection.markClosing()
        var data = context.channel.allocator.buffer(capacity: 2 + (reason?.utf8.count ?? 0))
        data.write(webSocketErrorCode: code)
        if let reason { data.writeString(reason) }
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)), promise: promise)
        return promise.futureResult
    }

    // MARK: Keep-alive

    /// Every ping interval: a ping, unless the last one is still unanswered, which closes the
    /// socket (1001) at once.
    private func pingDue() {
        guard state == .open, let context else { return }
        if unansweredPing != nil {
            return finish(.goingAway, reason: "Ping timeout", context: context)
        }
        let ping = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        unansweredPing = ping
        var data = context.channel.allocator.buffer(capacity: 16)
        data.writeInteger(ping.0)
        data.writeInteger(ping.1)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: data)), promise: nil)
        pingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: pingInterval) { self.pingDue() }
    }

    private static func payload(_ ping: (UInt64, UInt64), matches data: ByteBuffer) -> Bool {
        data.readableBytes == 16
            && data.getInteger(at: data.readerIndex, as: UInt64.self) == ping.0
            && data.getInteger(at: data.readerIndex + 8, as: UInt64.self) == ping.1
    }

    private func cancelTimers() {
        pingTimer?.cancel()
        expiryTimer?.cancel()
        closeTimer?.cancel()
        pingTimer = nil
        expiryTimer = nil
        closeTimer = nil
    }
}

@available(*, unavailable)
extension ChatSocketHandler: Sendable {}
