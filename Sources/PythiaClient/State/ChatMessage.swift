public import PythiaProtocol

/// A message as the views show it: a server message, or one of ours still in the outbox.
public struct ChatMessage: Hashable, Sendable, Identifiable {
    /// The server's id once delivered; the `client_id` while in the outbox.
    public var id: String
    /// The message (for an outbox entry: our text, us as author, the local send time).
    public var message: Message
    /// Whether the server has it.
    public var delivery: DeliveryState
    /// The `client_id` it was posted with, for our own messages.
    public var clientId: String?

    /// Creates a message entry.
    public init(message: Message, delivery: DeliveryState = .delivered, clientId: String? = nil) {
        self.id = delivery == .delivered ? message.id : (clientId ?? message.id)
        self.message = message
        self.delivery = delivery
        self.clientId = clientId
    }
}
