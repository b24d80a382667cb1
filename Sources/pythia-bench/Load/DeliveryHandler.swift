import NIOCore
import NIOWebSocket

/// The whole per-connection state of a bench subscriber: a channel handler on the event loop,
/// with no task or async sequence behind it, so that thousands of subscribers cost the load
/// generator little next to the server it measures.
final class DeliveryHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let recorder: DeliveryRecorder
    /// Completed when the connection counts as open; nil once it did.
    private var opened: EventLoopPromise<Void>?
    private let opensOnFirstFrame: Bool
    private var closing = false
    /// Set when this side started the close (``leave(_:)``): the end is not a lost connection.
    private var leaving = false
    private var context: ChannelHandlerContext?
    /// The recorder's round of this connection's last ping; nil before its first.
    private var pingRound: Int?

    init(recorder: DeliveryRecorder, opened: EventLoopPromise<Void>, opensOnFirstFrame: Bool) {
        self.recorder = recorder
        self.opened = opened
        self.opensOnFirstFrame = opensOnFirstFrame
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if !opensOnFirstFrame { markOpen() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            if opened != nil {
                markOpen()
            } else {
                recorder.record(frame: frame.data)
            }
        case .ping:
            pingRound = recorder.recordPing(lastRound: pingRound)
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.data)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            guard !closing else { return context.close(promise: nil) }
            closing = true
            var echo = context.channel.allocator.buffer(capacity: 2)
            echo.write(webSocketErrorCode: .normalClosure)
            let close = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: echo)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(close)).whenComplete { _ in channel.close(promise: nil) }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let opened {
            self.opened = nil
            opened.fail(ChannelError.ioOnClosedChannel)
        } else if !leaving {
            recorder.recordDisconnect()
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Closes `channel`'s WebSocket as a client that is done: a close frame (1000), then the
    /// socket once the server has answered it. Completes when the socket is closed: with
    /// `false` when the server had not answered within `timeout` and this side closed it.
    static func leave(_ channel: any Channel, timeout: TimeAmount) -> EventLoopFuture<Bool> {
        let loop = channel.eventLoop
        return loop.flatSubmit {
            // No handler: the socket had closed already.
            guard let handler = try? channel.pipeline.syncOperations.handler(type: DeliveryHandler.self) else {
                return loop.makeSucceededFuture(true)
            }
            handler.leave()
            let timedOut = NIOLoopBoundBox(false, eventLoop: loop)
            let deadline = loop.assumeIsolated().scheduleTask(in: timeout) {
                timedOut.value = true
                channel.close(promise: nil)
            }
            return channel.closeFuture.assumeIsolated().map { _ in
                deadline.cancel()
                return !timedOut.value
            }.nonisolated()
        }
    }

    private func leave() {
        guard let context, !closing else { return }
        closing = true
        leaving = true
        var code = context.channel.allocator.buffer(capacity: 2)
        code.write(webSocketErrorCode: .normalClosure)
        let close = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: code)
        context.writeAndFlush(wrapOutboundOut(close), promise: nil)
    }

    private func markOpen() {
        opened?.succeed()
        opened = nil
    }
}
