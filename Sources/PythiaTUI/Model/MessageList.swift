/// A channel's messages, oldest first, converted for display only when read: the pane reads
/// the few it shows, so a channel of 100 000 messages costs what an empty one does.
public struct MessageList: RandomAccessCollection, Sendable {
    private let element: @Sendable (Int) -> DisplayMessage
    /// How many messages there are.
    public let count: Int

    /// A list reading message `i` through `element(i)`.
    public init(count: Int, element: @escaping @Sendable (Int) -> DisplayMessage) {
        self.count = count
        self.element = element
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
}
