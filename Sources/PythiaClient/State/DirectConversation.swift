public import PythiaProtocol

/// The naming rule of direct conversations (API.md "Direct messages"): an ordinary private
/// channel `dm-<a>-<b>`, `a` and `b` the two usernames lower-cased and sorted.
public enum DirectConversation {
    /// The channel name of the conversation between two users, or nil when a username
    /// holds a character channel names cannot (`.`): such a user cannot be written to.
    public static func channelName(between first: String, and second: String) -> String? {
        let names = [first.lowercased(), second.lowercased()].sorted()
        let name = "dm-\(names[0])-\(names[1])"
        return Validation.channelName(name) == nil ? name : nil
    }

    /// The other person's username, lower-cased, when `channel` is a direct conversation
    /// of `me`'s: private, and named by the rule with `me` as one of the two.
    public static func partner(in channel: Channel, me: String) -> String? {
        guard channel.isPrivate, channel.name.hasPrefix("dm-") else { return nil }
        let pair = channel.name.dropFirst(3)
        let me = me.lowercased()
        // Usernames may hold `-`, so the name is read from the side that is ours.
        for other in [pair.hasPrefix(me + "-") ? pair.dropFirst(me.count + 1) : nil, pair.hasSuffix("-" + me) ? pair.dropLast(me.count + 1) : nil] {
            if let other, !other.isEmpty, channelName(between: me, and: String(other)) == channel.name { return String(other) }
        }
        return nil
    }
}
