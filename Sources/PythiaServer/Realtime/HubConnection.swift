import Foundation
import NIOCore
import NIOWebSocket
import Synchronization

/// One live WebSocket as the hub sees it: who it is, and its socket.
///
/// Frames, already whole WebSocket frames (see ``EventEncoder``), are written on the
/// socket's event loop by a ``FrameWriter``, never awaited. The socket's
/// ``ChatSocketHandler``, the only handler of its pipeline, writes them, and each is counted
/// against the socket's outbound budget (see
/// ``ChatSocketStateMachine``): a peer that reads too little is shut rather than allowed to
/// hold up a broadcast or grow its buffer without bound. Closes are sent by the socket's
/// ``ChatSocketHandler``, on its event loop.
final class HubConnection: Sendable {
    /// Who opened the socket, and with which token.
    let identity: Identity
    var userId: String { identity.userId }
    var username: String { identity.username }
    /// The token the socket was opened with (see ``Identity/tokenId``): a logout of that
    /// token closes it.
    var tokenId: String { identity.tokenId }
    /// The token generation of that token (see ``Identity/tokenGeneration``).
    var tokenGeneration: Int { identity.tokenGeneration }
    let id: ObjectIdentifier
    private let channel: any Channel
    /// Set once a close frame was sent or the socket is gone: later frames are let go.
    private let closing = Atomic<Bool>(false)
    /// Whether a write awaits its flush (touched on the event loop).
    private let unflushed = Atomic<Bool>(false)
    /// Whether a coalescing write awaits its writer's delayed flush (touched on the event loop).
    private let awaitingDelayedFlush = Atomic<Bool>(false)
    /// The socket's handler, which keeps its outbound budget; `nil` once it is removed
    /// (touched on the event loop only).
    private nonisolated(unsafe) var handler: ChatSocketHandler?

    init(identity: Identity, channel: any Channel) {
        self.identity = identity
        self.channel = channel
        eventLoop = channel.eventLoop
        id = ObjectIdentifier(channel)
    }

    /// The event loop the socket lives on (kept: the hub groups every broadcast's recipients
    /// by it, and asking the channel each time costs a call and a retain per recipient).
    let eventLoop: any EventLoop

    /// On the event loop: the socket's handler from its addition to its removal.
    func attach(_ handler: ChatSocketHandler) {
        self.handler = handler
    }

    /// On the event loop: the handler is gone (this breaks the cycle between the two).
    func detach() {
        handler = nil
    }

    /// On the event loop: writes `frame` (a whole WebSocket frame) without flushing; `false`
    /// when nothing more is to be flushed (the frame broke the outbound budget, which shut the
    /// socket). A `coalescing` frame is held by the handler until the socket's next flush (see
    /// ``FrameWriter``). A socket that sent its close or is gone is closing: the frame is let
    /// go, its handler unregisters it.
    func write(_ frame: ByteBuffer, coalescing: Bool) -> Bool {
        guard !closing.load(ordering: .relaxed), let handler else { return false }
        return handler.write(frame, coalescing: coalescing)
    }

    /// On the event loop: marks a write to flush; `true` when it was not marked yet.
    func markUnflushed() -> Bool {
        !unflushed.exchange(true, ordering: .relaxed)
    }

    /// On the event loop: marks a write to flush after a delay; `true` when it was not marked
    /// yet.
    func markAwaitingDelayedFlush() -> Bool {
        !awaitingDelayedFlush.exchange(true, ordering: .relaxed)
    }

    /// On the event loop: flushes what ``write(_:coalescing:)`` wrote.
    func flush() {
        unflushed.store(false, ordering: .relaxed)
        awaitingDelayedFlush.store(false, ordering: .relaxed)
        handler?.flush()
    }

    /// From any thread: the socket's work has room again, so its handler may read again.
    func resumeReading() {
        eventLoop.execute { self.handler?.resumeReading() }
    }

    /// Sends a close (once, from any thread); the frames written before it are sent first, and
    /// the socket is shut 5 s later if the peer has not closed it.
    func close(_ code: WebSocketErrorCode, reason: String?) {
        let channel = self.channel
        eventLoop.execute {
            // Found through the pipeline rather than held: only the event loop may touch it.
            let handler = try? channel.pipeline.syncOperations.handler(type: ChatSocketHandler.self)
            handler?.close(code, reason: reason)
        }
    }

    /// On the event loop: no more frames go out (a close was sent, or the socket is gone).
    func markClosing() {
        closing.store(true, ordering: .relaxed)
    }
}
