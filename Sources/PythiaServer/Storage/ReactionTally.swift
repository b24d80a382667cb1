import PythiaProtocol

/// Reactions counted per message: each emoji once, with its count and its users in the
/// order they reacted (the order rows are added in).
struct ReactionTally {
    /// The summaries of each message that has any.
    private(set) var byMessage: [String: [ReactionSummary]] = [:]

    /// Counts one user's reaction to one message.
    mutating func add(messageId: String, emoji: String, userId: String) {
        var list = byMessage[messageId, default: []]
        if let index = list.firstIndex(where: { $0.emoji == emoji }) {
            list[index].count += 1
            list[index].userIds.append(userId)
        } else {
            list.append(ReactionSummary(emoji: emoji, count: 1, userIds: [userId]))
        }
        byMessage[messageId] = list
    }
}
