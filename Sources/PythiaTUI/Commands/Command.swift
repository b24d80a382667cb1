/// A slash command typed in the input line.
public enum Command: Hashable, Sendable {
    /// `/join #name`.
    case join(channel: String)
    /// `/leave`: the current channel.
    case leave
    /// `/create name [--private] [description]`.
    case create(name: String, isPrivate: Bool, description: String)
    /// `/msg @user [text]`: the direct conversation with a user, and a message to send there.
    case directMessage(username: String, text: String?)
    /// `/invite @user` into the current channel.
    case invite(username: String)
    /// `/react EMOJI` on the last message.
    case react(emoji: String)
    /// `/edit TEXT`: replaces the last own message.
    case edit(text: String)
    /// `/delete`: the last own message.
    case delete
    /// `/retry`: sends the current channel's failed messages again.
    case retry
    /// `/discard`: throws away the current channel's failed messages.
    case discard
    /// `/who`: online members of the current channel.
    case who
    /// `/channels`: public channels to browse.
    case channels
    /// `/search WORDS`: messages with every word, in an overlay.
    case search(words: String)
    /// `/theme NAME`.
    case theme(name: String)
    /// `/reconnect`.
    case reconnect
    /// `/quit`.
    case quit
    /// `/help`.
    case help
}
