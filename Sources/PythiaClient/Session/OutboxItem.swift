import Foundation
import PythiaProtocol

/// A message waiting in the outbox: its text and the `client_id` that makes its post idempotent.
struct OutboxItem: Codable, Hashable, Sendable {
    /// The idempotency key, kept across every retry.
    var clientId: String
    /// Where it goes.
    var channelId: String
    /// The text.
    var content: String
}
