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

    init(recorder: DeliveryRecorder, opened: EventLoopPromise<Void>, opensOnFirstFrame: Bool) {
        self.recorder = recorder
        self.opened = opened
        self.opensOnFirstFrame = opensOnFirstFrame
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if !opensOnFirstFrame { markOpen() }
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
            recorder.recordPing()
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
        } else {
            recorder.recordDisconnect()
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func markOpen() {
        opened?.succeed()
        opened = nil
    }
}
