import Foundation
import NIOCore
import NIOWebSocket
import Synchronization

/// One live WebSocket as the hub sees it: who it is, and its socket.
///
/// Frames are written straight to the socket's channel on its event loop by a
/// ``FrameWriter``, never awaited: a connection whose socket stays unwritable for more than
/// `queueLimit` frames is too slow, so it is dropped (1008) rather than allowed to hold up a
/// broadcast or grow its buffer without bound. The ``outbound`` stream carries the close only.
final class Connection: Sendable {
    let userId: String
    let username: String
    let id: ObjectIdentifier
    private let continuation: AsyncStream<Outbound>.Continuation
    private let channel: any Channel
    private let queueLimit: Int
    private let dropped = Atomic<Bool>(false)
    /// Frames written while the socket was unwritable, in a row (touched on the event loop).
    private let backlog = Atomic<Int>(0)
    /// Whether a write awaits its flush (touched on the event loop).
    private let unflushed = Atomic<Bool>(false)
    /// The close to send, for the socket's writer task.
    let outbound: AsyncStream<Outbound>

    init(userId: String, username: String, channel: any Channel, queueLimit: Int) {
        self.userId = userId
        self.username = username
        self.channel = channel
        self.queueLimit = queueLimit
        (outbound, continuation) = AsyncStream.makeStream(of: Outbound.self)
        id = ObjectIdentifier(channel)
    }

    /// The event loop the socket lives on.
    var eventLoop: any EventLoop { channel.eventLoop }

    /// On the event loop: writes `frame` without flushing; `false` when the connection is too
    /// slow (it is then being dropped) or already dropped.
    func write(_ frame: ByteBuffer) -> Bool {
        guard !dropped.load(ordering: .relaxed) else { return false }
        if channel.isWritable {
            backlog.store(0, ordering: .relaxed)
        } else if backlog.wrappingAdd(1, ordering: .relaxed).newValue > queueLimit {
            dropAsTooSlow()
            return false
        }
        channel.write(WebSocketFrame(fin: true, opcode: .text, data: frame), promise: nil)
        return true
    }

    /// On the event loop: marks a write to flush; `true` when it was not marked yet.
    func markUnflushed() -> Bool {
        !unflushed.exchange(true, ordering: .relaxed)
    }

    /// On the event loop: flushes what ``write(_:)`` wrote.
    func flush() {
        unflushed.store(false, ordering: .relaxed)
        channel.flush()
    }

    /// Queues a close; the frames written before it are sent first.
    func close(_ code: WebSocketErrorCode, reason: String) {
        continuation.yield(.close(code, reason: reason))
        continuation.finish()
    }

    /// Whether the connection was dropped for being too slow.
    var wasDropped: Bool { dropped.load(ordering: .relaxed) }

    /// Ends the writer task.
    func finish() { continuation.finish() }

    /// A peer that reads nothing may never drain its socket: the writer is stuck behind it.
    /// Stop writing, and shut the socket if the writer cannot send the 1008 in time.
    private func dropAsTooSlow() {
        guard !dropped.exchange(true, ordering: .relaxed) else { return }
        continuation.finish()
        let channel = self.channel
        channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
    }

    /// Closes the socket after `delay` unless the peer has done so.
    func closeSocket(after delay: TimeAmount) {
        let channel = self.channel
        channel.eventLoop.scheduleTask(in: delay) { channel.close(promise: nil) }
    }
}
