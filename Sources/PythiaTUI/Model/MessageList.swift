/// A channel's messages, oldest first, converted for display only when read: the pane reads
/// the few it shows, so a channel of 100 000 messages costs what an empty one does.
public struct MessageList: RandomAccessCollection, Sendable {
    /// Tells one list from another: copies of a list share it, a list built anew does not.
    private final class Identity: Sendable {}

    private let element: @Sendable (Int) -> DisplayMessage
    private let stampAt: @Sendable (Int) -> MessageStamp
    private let identity = Identity()
    /// How many messages there are.
    public let count: Int

    /// A list reading message `i` through `element(i)` and its stamp through `stamp(i)`,
    /// which should be much cheaper than converting the message. Without `stamp`, stamps
    /// are taken from the converted messages.
    public init(count: Int, element: @escaping @Sendable (Int) -> DisplayMessage, stamp: (@Sendable (Int) -> MessageStamp)? = nil) {
        self.count = count
        self.element = element
        self.stampAt = stamp ?? { MessageStamp(element($0)) }
    }

    /// A list over messages already converted.
    public init(_ messages: [DisplayMessage]) {
        self.init(count: messages.count) { messages[$0] }
    }

    /// No messages.
    public static let empty = MessageList([])

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> DisplayMessage { element(position) }

    /// The stamp of message `position`.
    public func stamp(at position: Int) -> MessageStamp { stampAt(position) }

    /// Whether this is the very list `other` is (a copy of it), so nothing in it can differ.
    public func isSameList(as other: MessageList) -> Bool { identity === other.identity }
}
