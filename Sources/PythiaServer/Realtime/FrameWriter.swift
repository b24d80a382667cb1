import NIOCore

/// Writes encoded frames to the connections of one event loop: one hop onto the loop per
/// broadcast, whatever the number of recipients, and one flush per connection per loop
/// tick, however many frames it was given in that tick.
///
/// A frame written with `coalescing` (presence) is not flushed on its own: its socket waits,
/// at most ``coalescingDelay``, for a flush of its own, so that when every client comes back
/// at once the `user_status` frames a socket hears leave in a few system calls rather than
/// one each; until then its socket's handler holds them, and hands them to the channel as
/// one write rather than one each. Any other frame flushes its socket at once, and with it
/// whatever waits before it, in order; another socket's frame does not.
///
/// Its state is touched on ``eventLoop`` only.
final class FrameWriter: @unchecked Sendable {
    let eventLoop: any EventLoop
    /// The longest a coalescing frame waits for its flush.
    let coalescingDelay: TimeAmount
    private var unflushed: [HubConnection] = []
    private var flushScheduled = false
    /// Sockets with coalescing frames written since the last delayed flush (a socket flushed
    /// since, and written to again, may be here twice: its second flush costs nothing).
    private var waiting: [HubConnection] = []
    private var delayedFlushScheduled = false

    /// A writer for the connections of `eventLoop`.
    init(eventLoop: any EventLoop, coalescingDelay: TimeAmount) {
        self.eventLoop = eventLoop
        self.coalescingDelay = coalescingDelay
    }

    /// Writes `frame` to `connections`, all of which live on ``eventLoop``; with `coalescing`,
    /// its flush may wait up to ``coalescingDelay``.
    func write(_ frame: ByteBuffer, to connections: [HubConnection], coalescing: Bool = false) {
        eventLoop.execute { self.writeOnLoop(frame, to: connections, coalescing: coalescing && self.coalescingDelay > .zero) }
    }

    private func writeOnLoop(_ frame: ByteBuffer, to connections: [HubConnection], coalescing: Bool) {
        for connection in connections {
            // A connection shut by its outbound budget leaves the hub from its handler.
            guard connection.write(frame, coalescing: coalescing) else { continue }
            if coalescing {
                if connection.markAwaitingDelayedFlush() { waiting.append(connection) }
            } else if connection.markUnflushed() {
                unflushed.append(connection)
            }
        }
        if coalescing, !delayedFlushScheduled, !waiting.isEmpty {
            delayedFlushScheduled = true
            eventLoop.scheduleTask(in: coalescingDelay) { self.flushWaiting() }
        }
        // Queued behind the writes already waiting for the loop, so that frames arriving in
        // the same tick leave in one system call per socket.
        if !flushScheduled, !unflushed.isEmpty {
            flushScheduled = true
            eventLoop.execute { self.flushOnLoop() }
        }
    }

    private func flushOnLoop() {
        flushScheduled = false
        var connections: [HubConnection] = []
        swap(&connections, &unflushed)
        for connection in connections { connection.flush() }
    }

    /// Flushes the sockets that coalescing frames were written to (a socket flushed since
    /// has nothing left to send: its flush costs no system call).
    private func flushWaiting() {
        delayedFlushScheduled = false
        var connections: [HubConnection] = []
        swap(&connections, &waiting)
        for connection in connections { connection.flush() }
    }
}
