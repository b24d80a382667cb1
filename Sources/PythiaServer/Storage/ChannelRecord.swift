public import Foundation

/// A channel as the operator sees it (`pythia-chat admin channels list`).
public struct ChannelRecord: Sendable, Hashable {
    /// Its id.
    public let id: String
    /// Its name.
    public let name: String
    /// Whether only members see it.
    public let isPrivate: Bool
    /// Its owner's name; `nil` when it has none (its owner was deleted).
    public let owner: String?
    /// How many members it has.
    public let memberCount: Int
    /// Its messages that are not deleted.
    public let messageCount: Int
    /// When it was made.
    public let createdAt: Date
}
