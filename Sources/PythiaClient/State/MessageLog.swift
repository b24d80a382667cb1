public import Foundation
import PythiaProtocol

/// A channel's delivered messages, oldest first, kept in chunks.
///
/// `Session` publishes every state to the UI, which holds it until the next one, so the
/// store's next change finds the messages shared. With one array, that change copied the
/// whole history — a 100 000-message channel paid ~5 ms per event. Here it copies the list
/// of chunks (one reference per chunk) and the one chunk it touches.
public struct MessageLog: RandomAccessCollection, MutableCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    /// A chunk is split in two when it grows past twice this.
    static let chunkCapacity = 64

    private var chunks: [[ChatMessage]] = []
    /// `ends[i]`: how many messages chunks `0...i` hold.
    private var ends: [Int] = []

    /// No messages.
    public init() {}

    /// The messages, in order.
    public init(_ messages: some Sequence<ChatMessage>) {
        var chunk: [ChatMessage] = []
        for message in messages {
            chunk.append(message)
            if chunk.count == Self.chunkCapacity {
                append(chunk: chunk)
                chunk = []
            }
        }
        if !chunk.isEmpty { append(chunk: chunk) }
    }

    /// The messages, in order.
    public init(arrayLiteral messages: ChatMessage...) {
        self.init(messages)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.last ?? 0 }

    public subscript(position: Int) -> ChatMessage {
        get {
            let (chunk, offset) = locate(position)
            return chunks[chunk][offset]
        }
        set {
            let (chunk, offset) = locate(position)
            chunks[chunk][offset] = newValue
        }
    }

    /// Walks the chunks, not the indices: no search per element.
    public func makeIterator() -> FlattenSequence<[[ChatMessage]]>.Iterator {
        chunks.joined().makeIterator()
    }

    /// Inserts `message` before position `index` (`endIndex` appends).
    public mutating func insert(_ message: ChatMessage, at index: Int) {
        precondition(index >= 0 && index <= count, "MessageLog index \(index) out of 0...\(count)")
        guard !chunks.isEmpty else {
            append(chunk: [message])
            return
        }
        let (chunk, offset) = index == count ? (chunks.count - 1, chunks[chunks.count - 1].count) : locate(index)
        chunks[chunk].insert(message, at: offset)
        for later in chunk..<ends.count { ends[later] += 1 }
        if chunks[chunk].count > 2 * Self.chunkCapacity { split(chunk) }
    }

    /// Removes and returns the message at `index`.
    @discardableResult
    public mutating func remove(at index: Int) -> ChatMessage {
        let (chunk, offset) = locate(index)
        let removed = chunks[chunk].remove(at: offset)
        for later in chunk..<ends.count { ends[later] -= 1 }
        if chunks[chunk].isEmpty {
            chunks.remove(at: chunk)
            ends.remove(at: chunk)
        }
        return removed
    }

    /// The position of the last message satisfying `predicate`, searched chunk by chunk.
    public func lastIndex(where predicate: (ChatMessage) throws -> Bool) rethrows -> Int? {
        for chunk in chunks.indices.reversed() {
            if let offset = try chunks[chunk].lastIndex(where: predicate) {
                return (chunk == 0 ? 0 : ends[chunk - 1]) + offset
            }
        }
        return nil
    }

    /// The first position whose message was created at or after `date`, for a log kept in
    /// `createdAt` order: a binary search over the chunks, then inside one, reading the dates
    /// in place rather than copying messages out.
    public func firstIndex(createdAtOrAfter date: Date) -> Int {
        var lower = 0
        var upper = chunks.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if chunks[middle][chunks[middle].count - 1].message.createdAt < date { lower = middle + 1 } else { upper = middle }
        }
        guard lower < chunks.count else { return count }
        let chunk = chunks[lower]
        var low = 0
        var high = chunk.count
        while low < high {
            let middle = (low + high) / 2
            if chunk[middle].message.createdAt < date { low = middle + 1 } else { high = middle }
        }
        return (lower == 0 ? 0 : ends[lower - 1]) + low
    }

    public static func == (left: MessageLog, right: MessageLog) -> Bool {
        left.count == right.count && left.elementsEqual(right)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for message in self { hasher.combine(message) }
    }

    /// The chunk holding `position` and the offset in it.
    private func locate(_ position: Int) -> (chunk: Int, offset: Int) {
        precondition(position >= 0 && position < count, "MessageLog index \(position) out of 0..<\(count)")
        var lower = 0
        var upper = ends.count - 1
        while lower < upper {
            let middle = (lower + upper) / 2
            if ends[middle] > position { upper = middle } else { lower = middle + 1 }
        }
        return (lower, position - (lower == 0 ? 0 : ends[lower - 1]))
    }

    private mutating func append(chunk: [ChatMessage]) {
        chunks.append(chunk)
        ends.append(count + chunk.count)
    }

    private mutating func split(_ chunk: Int) {
        let whole = chunks[chunk]
        let half = whole.count / 2
        chunks[chunk] = Array(whole[..<half])
        chunks.insert(Array(whole[half...]), at: chunk + 1)
        ends.insert(ends[chunk], at: chunk + 1)
        ends[chunk] -= whole.count - half
    }
}
