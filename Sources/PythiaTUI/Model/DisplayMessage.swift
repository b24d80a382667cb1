public import Foundation

/// A message as the message pane shows it.
public struct DisplayMessage: Hashable, Sendable, Identifiable {
    /// Whether the server has it yet.
    public enum Delivery: Hashable, Sendable {
        /// Stored by the server.
        case delivered
        /// In the outbox, not yet accepted.
        case pending
        /// Refused or failed; the words say why.
        case failed(String)
    }

    /// A reaction and how many people gave it.
    public struct Reaction: Hashable, Sendable {
        /// The emoji.
        public var emoji: String
        /// How many gave it.
        public var count: Int
        /// Whether I am one of them.
        public var mine: Bool

        /// Creates a reaction summary.
        public init(emoji: String, count: Int, mine: Bool = false) {
            self.emoji = emoji
            self.count = count
            self.mine = mine
        }
    }

    /// The message id (or the outbox's client id while pending).
    public var id: String
    /// The author's user name.
    public var author: String
    /// Whether I wrote it.
    public var isMine: Bool
    /// The text.
    public var content: String
    /// When it was sent.
    public var createdAt: Date
    /// Whether it was edited.
    public var isEdited: Bool
    /// Reactions, in the order given.
    public var reactions: [Reaction]
    /// Delivery state.
    public var delivery: Delivery
    /// Whether it is the first message since the channel was last read: the `── new ──`
    /// line goes above it.
    public var isFirstUnread: Bool

    /// Creates a message for display.
    public init(
        id: String, author: String, isMine: Bool = false, content: String, createdAt: Date,
        isEdited: Bool = false, reactions: [Reaction] = [], delivery: Delivery = .delivered, isFirstUnread: Bool = false
    ) {
        self.id = id
        self.author = author
        self.isMine = isMine
        self.content = content
        self.createdAt = createdAt
        self.isEdited = isEdited
        self.reactions = reactions
        self.delivery = delivery
        self.isFirstUnread = isFirstUnread
    }
}
