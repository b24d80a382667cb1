import NIOCore
import NIOHTTP1

/// Closes an HTTP/1 connection whose request head is slow to come, or that idles between
/// requests: a head must be complete within ``ConnectionLimits/requestHeadTimeout`` of
/// connecting, or of the first bytes of each later request (so a peer trickling a header a
/// byte at a time is closed too); between requests, the connection may stay idle for
/// ``ConnectionLimits/keepAliveTimeout``. A request being read or answered has no deadline here.
///
/// It sits right behind NIO's HTTP decoder, ahead of the upgrade handler, so it sees every
/// request head, and tells the ``ConnectionLimits`` when the first one came. An upgrade to a
/// WebSocket removes it: WebSockets have their own ping and idle rules. Behind a TLS handler it
/// sees the decrypted requests, and a peer that never completes its TLS handshake sends no
/// head, so it is closed at the head timeout too.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Waiting { case nothing, requestHead, nextRequest }

    private let limits: ConnectionLimits
    private let connectionId: UInt64
    private var waiting = Waiting.nothing
    private var timer: Scheduled<Void>?
    private var readingRequest = false
    /// Request heads received minus responses ended.
    private var responsesOwed = 0
    private var receivedARequest = false

    /// A handler for connection `connectionId` of `limits`.
    init(limits: ConnectionLimits, connectionId: UInt64) {
        self.limits = limits
        self.connectionId = connectionId
    }

    func handlerAdded(context: ChannelHandlerContext) {
        wait(for: .requestHead, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopWaiting()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopWaiting()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            stopWaiting()
            readingRequest = true
            responsesOwed += 1
            if !receivedARequest {
                receivedARequest = true
                limits.requestReceived(connectionId)
            }
        case .body:
            break
        case .end:
            readingRequest = false
            if responsesOwed == 0 { wait(for: .nextRequest, context: context) }
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes came while idle without making a whole head: a request has begun, and its
        // head has the head timeout from now (never extended by more bytes).
        if waiting == .nextRequest { wait(for: .requestHead, context: context) }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            responsesOwed = max(responsesOwed - 1, 0)
            if responsesOwed == 0, !readingRequest { wait(for: .nextRequest, context: context) }
        }
        context.write(data, promise: promise)
    }

    private func wait(for next: Waiting, context: ChannelHandlerContext) {
        stopWaiting()
        waiting = next
        let (timeout, drop) = next == .requestHead
            ? (limits.requestHeadTimeout, ConnectionLimits.Drop.requestHeadTimeout)
            : (limits.keepAliveTimeout, ConnectionLimits.Drop.keepAliveTimeout)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
            self.timer = nil
            self.waiting = .nothing
            self.limits.dropped(drop, context.channel)
            context.close(promise: nil)
        }
    }

    private func stopWaiting() {
        timer?.cancel()
        timer = nil
        waiting = .nothing
    }
}
