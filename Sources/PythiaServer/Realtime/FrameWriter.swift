import NIOCore

/// Writes encoded frames to the connections of one event loop: one hop onto the loop per
/// broadcast, whatever the number of recipients, and one flush per connection per loop
/// tick, however many frames it was given in that tick.
///
/// Its state is touched on ``eventLoop`` only.
final class FrameWriter: @unchecked Sendable {
    let eventLoop: any EventLoop
    private var unflushed: [HubConnection] = []
    private var flushScheduled = false

    /// A writer for the connections of `eventLoop`.
    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Writes `frame` to `connections`, all of which live on ``eventLoop``.
    func write(_ frame: ByteBuffer, to connections: [HubConnection]) {
        eventLoop.execute { self.writeOnLoop(frame, to: connections) }
    }

    private func writeOnLoop(_ frame: ByteBuffer, to connections: [HubConnection]) {
        for connection in connections {
            // A connection shut by its outbound budget leaves the hub from its handler.
            guard connection.write(frame) else { continue }
            if connection.markUnflushed() { unflushed.append(connection) }
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
}
