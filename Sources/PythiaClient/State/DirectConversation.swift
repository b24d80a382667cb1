public import PythiaProtocol

/// The naming rule of direct conversations (API.md "Direct messages"): an ordinary private
/// channel `dm-<a>-<b>`, `a` and `b` the two usernames lower-cased and sorted, with exactly
/// those two members.
///
/// The name alone proves nothing: anyone may create `dm-alice-bob` and add alice to it.
/// A channel is a conversation only when its members are exactly the two it names.
public enum DirectConversation {
    /// A username as it goes into a channel name: lower-cased, and `.` — which usernames may
    /// hold and channel names may not — written `_`. Names without `.` keep API.md's form;
    /// `carol.b` and `carol_b` would share a name, which the members then tell apart.
    public static func nameForm(of username: String) -> String {
        String(username.lowercased().map { $0 == "." ? "_" : $0 })
    }

    /// The channel name of the conversation between two users. Two valid usernames
    /// (3–32 characters) always make a valid channel name (at most 68).
    public static func channelName(between first: String, and second: String) -> String {
        let names = [nameForm(of: first), nameForm(of: second)].sorted()
        return "dm-\(names[0])-\(names[1])"
    }

    /// Whether `channel` may be a conversation of `me`'s, judged by its name: private and
    /// named by the rule with `me` as one of the two. Its members decide (``partner(in:me:)``).
    public static func mightBeConversation(_ channel: Channel, me: String) -> Bool {
        guard channel.isPrivate, channel.name.hasPrefix("dm-") else { return false }
        let pair = channel.name.dropFirst(3)
        let mine = nameForm(of: me)
        return pair.hasPrefix(mine + "-") || pair.hasSuffix("-" + mine)
    }

    /// The other person when `channel` is a direct conversation of `me`'s: private, its
    /// members loaded and exactly `me` and them, and named by the rule after the two.
    /// Nil while the members are not known.
    public static func partner(in channel: ChannelState, me: User) -> User? {
        guard channel.channel.isPrivate, let members = channel.members, members.count == 2, members[me.id] != nil,
            let other = members.values.first(where: { $0.user.id != me.id })?.user,
            channelName(between: me.username, and: other.username) == channel.channel.name
        else { return nil }
        return other
    }
}
