import Synchronization

/// The naive broadcaster of the floor server: one `AsyncStream` per connection, registered
/// under its channel, and a broadcast yields the same string to each of them.
final class FloorHub: Sendable {
    private struct Rooms {
        var nextID = 0
        var members: [Int: [Int: AsyncStream<String>.Continuation]] = [:]
    }

    private let rooms = Mutex(Rooms())

    /// Registers a connection in `channel`; returns its id and the stream it must drain.
    func join(channel: Int) -> (id: Int, stream: AsyncStream<String>) {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let id = rooms.withLock { rooms in
            rooms.nextID += 1
            rooms.members[channel, default: [:]][rooms.nextID] = continuation
            return rooms.nextID
        }
        return (id, stream)
    }

    /// Removes a connection and ends its stream.
    func leave(channel: Int, id: Int) {
        let continuation = rooms.withLock { $0.members[channel]?.removeValue(forKey: id) }
        continuation?.finish()
    }

    /// Hands `text` to every connection in `channel`; returns how many.
    @discardableResult
    func broadcast(_ text: String, to channel: Int) -> Int {
        let continuations = rooms.withLock { $0.members[channel].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield(text) }
        return continuations.count
    }
}
