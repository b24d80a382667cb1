import Foundation
import NIOCore
import NIOWebSocket
import Synchronization

/// One live WebSocket as the hub sees it: who it is, and a bounded queue of frames its
/// writer task drains.
///
/// ``send(_:)`` never waits: a connection whose queue is full is too slow, so it is
/// dropped (1008) rather than allowed to hold up a broadcast.
final class Connection: Sendable {
    let userId: String
    let username: String
    let id: ObjectIdentifier
    private let continuation: AsyncStream<Outbound>.Continuation
    private let channel: any Channel
    private let dropped = Atomic<Bool>(false)
    /// Frames to write, in order.
    let outbound: AsyncStream<Outbound>

    init(userId: String, username: String, channel: any Channel, queueLimit: Int) {
        self.userId = userId
        self.username = username
        self.channel = channel
        (outbound, continuation) = AsyncStream.makeStream(of: Outbound.self, bufferingPolicy: .bufferingOldest(queueLimit))
        id = ObjectIdentifier(channel)
    }

    /// Queues a frame; `false` when the queue was full and the connection is being dropped.
    @discardableResult
    func send(_ frame: ByteBuffer) -> Bool {
        switch continuation.yield(.frame(frame)) {
        case .enqueued: return true
        case .terminated: return true
        case .dropped:
            dropAsTooSlow()
            return false
        @unknown default: return true
        }
    }

    /// Queues a close; whatever is queued before it is still written.
    func close(_ code: WebSocketErrorCode, reason: String) {
        if case .dropped = continuation.yield(.close(code, reason: reason)) {
            dropAsTooSlow()
        } else {
            continuation.finish()
        }
    }

    /// Whether the connection was dropped for being too slow.
    var wasDropped: Bool { dropped.load(ordering: .relaxed) }

    /// Stops taking frames; the writer ends after what is queued.
    func finish() { continuation.finish() }

    /// A peer that reads nothing may never drain its socket: the writer is stuck behind it.
    /// Stop queueing, and shut the socket if the writer cannot send the 1008 in time.
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
