import Foundation
import NIOCore
import NIOWebSocket
import Synchronization

/// One live WebSocket as the hub sees it: who it is, and its socket.
///
/// Frames, already whole WebSocket frames (see ``EventEncoder``), are written on the
/// socket's event loop by a ``FrameWriter``, never awaited. They enter the pipeline below its
/// WebSocket frame encoder, so they reach the socket without passing the async channel's and
/// the encoder's handlers. A connection whose socket stays unwritable for more than
/// `queueLimit` frames is too slow, so it is dropped (1008) rather than allowed to hold up a
/// broadcast or grow its buffer without bound. Closes are sent by the socket's
/// ``ChatSocketHandler``, on its event loop.
final class Connection: Sendable {
    let userId: String
    let username: String
    let id: ObjectIdentifier
    private let channel: any Channel
    private let queueLimit: Int
    private let dropped = Atomic<Bool>(false)
    /// Set once a close frame was sent or the socket is gone: later frames are let go.
    private let closing = Atomic<Bool>(false)
    /// Frames written while the socket was unwritable, in a row (touched on the event loop).
    private let backlog = Atomic<Int>(0)
    /// Whether a write awaits its flush (touched on the event loop).
    private let unflushed = Atomic<Bool>(false)
    /// The frame encoder's context, found on the first write: writes and flushes go from it
    /// straight to the pipeline's head (touched on the event loop only).
    private nonisolated(unsafe) var encoderContext: ChannelHandlerContext?

    init(userId: String, username: String, channel: any Channel, queueLimit: Int) {
        self.userId = userId
        self.username = username
        self.channel = channel
        self.queueLimit = queueLimit
        eventLoop = channel.eventLoop
        id = ObjectIdentifier(channel)
    }

    /// The event loop the socket lives on (kept: the hub groups every broadcast's recipients
    /// by it, and asking the channel each time costs a call and a retain per recipient).
    let eventLoop: any EventLoop

    /// On the event loop: writes `frame` (a whole WebSocket frame) without flushing; `false`
    /// when the connection is too slow (it is then being dropped) or already dropped. A socket
    /// that sent its close or is gone is closing: the frame is let go, its handler unregisters it.
    func write(_ frame: ByteBuffer) -> Bool {
        guard !dropped.load(ordering: .relaxed) else { return false }
        guard !closing.load(ordering: .relaxed) else { return true }
        if channel.isWritable {
            backlog.store(0, ordering: .relaxed)
        } else if backlog.wrappingAdd(1, ordering: .relaxed).newValue > queueLimit {
            dropAsTooSlow()
            return false
        }
        guard let context = encoderContext ?? findEncoderContext() else { return true }
        context.write(NIOAny(frame), promise: nil)
        return true
    }

    /// On the event loop: the frame encoder's context, `nil` once the socket's pipeline is gone.
    private func findEncoderContext() -> ChannelHandlerContext? {
        encoderContext = try? channel.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
        return encoderContext
    }

    /// On the event loop: marks a write to flush; `true` when it was not marked yet.
    func markUnflushed() -> Bool {
        !unflushed.exchange(true, ordering: .relaxed)
    }

    /// On the event loop: flushes what ``write(_:)`` wrote.
    func flush() {
        unflushed.store(false, ordering: .relaxed)
        encoderContext?.flush()
    }

    /// Sends a close (once, from any thread); the frames written before it are sent first, and
    /// the socket is shut `grace` later if the peer has not closed it.
    func close(_ code: WebSocketErrorCode, reason: String?, grace: TimeAmount = ChatSocketHandler.closeTimeout) {
        let channel = self.channel
        eventLoop.execute {
            // Found through the pipeline rather than held: the handler holds this connection.
            let handler = try? channel.pipeline.syncOperations.handler(type: ChatSocketHandler.self)
            handler?.close(code, reason: reason, grace: grace)
        }
    }

    /// On the event loop: no more frames go out (a close was sent, or the socket is gone).
    func markClosing() {
        closing.store(true, ordering: .relaxed)
    }

    /// Whether the connection was dropped for being too slow.
    var wasDropped: Bool { dropped.load(ordering: .relaxed) }

    /// A peer that reads nothing may never drain its socket: stop writing, try a 1008, and
    /// shut the socket if it cannot be sent in time.
    private func dropAsTooSlow() {
        guard !dropped.exchange(true, ordering: .relaxed) else { return }
        closeSocket(after: .seconds(2))
        close(.policyViolation, reason: "too slow", grace: .seconds(2))
    }

    /// Closes the socket after `delay` unless the peer has done so.
    func closeSocket(after delay: TimeAmount) {
        let channel = self.channel
        channel.eventLoop.scheduleTask(in: delay) { channel.close(promise: nil) }
    }
}
