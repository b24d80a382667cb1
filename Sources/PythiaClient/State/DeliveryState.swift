/// Whether a message has reached the server.
public enum DeliveryState: Hashable, Sendable {
    /// Stored by the server.
    case delivered
    /// In the outbox, being posted or waiting to be retried.
    case pending
    /// The server refused it for good (not a member, invalid); it will not be retried.
    case failed(reason: String)
}
