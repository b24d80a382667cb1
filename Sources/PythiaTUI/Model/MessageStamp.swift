public import Foundation

/// What the message pane needs to know about a message to tell whether its layout still
/// holds: its id, when it was sent (for day separators) and a revision that changes
/// whenever anything shown about it changes (an edit, reactions, delivery, the author's
/// name). Comparing stamps is cheap; comparing or hashing whole messages is not.
public struct MessageStamp: Hashable, Sendable {
    /// The message id.
    public var id: String
    /// When it was sent.
    public var createdAt: Date
    /// Changes whenever the message as shown changes.
    public var revision: Int

    /// Creates a stamp.
    public init(id: String, createdAt: Date, revision: Int) {
        self.id = id
        self.createdAt = createdAt
        self.revision = revision
    }

    /// The stamp of a message already converted for display: its revision covers every field.
    public init(_ message: DisplayMessage) {
        self.init(id: message.id, createdAt: message.createdAt, revision: message.hashValue)
    }
}
