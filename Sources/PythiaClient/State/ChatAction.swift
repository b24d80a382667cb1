public import Foundation
public import PythiaProtocol

/// Everything that can change a ``ChatState``: a server event, a REST answer, or a local intent.
public enum ChatAction: Hashable, Sendable {
    /// A frame arrived over the WebSocket, at local time `at`.
    case event(ServerEvent, at: Date)
    /// The connection changed state.
    case connectionChanged(ConnectionState)
    /// With several servers: the connection uses (or is trying) this one now.
    case serverChanged(ServerEndpoint)
    /// We know who we are (from `GET /auth/me`, a login, or `connection_established`).
    case identified(User)
    /// The list of our channels (`GET /channels/`): replaces the list, keeping what is loaded.
    case channelsLoaded([Channel])
    /// One channel was created, joined or refreshed.
    case channelUpdated(Channel)
    /// We are no longer a member of a channel.
    case channelRemoved(channelId: String)
    /// A page of history arrived.
    case historyLoaded(channelId: String, messages: [Message], page: HistoryPage)
    /// Every message up to the present has been loaded after a (re)connect: from now on
    /// the live stream moves the channel's resume point.
    case caughtUp(channelId: String)
    /// A page of older history is being fetched.
    case loadingOlder(channelId: String)
    /// Fetching older history failed; it may be asked again.
    case loadingOlderFailed(channelId: String)
    /// A channel's members arrived.
    case membersLoaded(channelId: String, members: [Member])
    /// A user's account arrived.
    case userLoaded(User)
    /// The user viewed a channel.
    case select(channelId: String)
    /// The last-read messages saved by an earlier run, by channel id.
    case readPositionsRestored([String: String])
    /// The user is done with the read marker of a channel (read to the bottom).
    case readMarkerCleared(channelId: String)
    /// The user has seen a channel's messages up to its newest one.
    case markRead(channelId: String)
    /// The user sent a message: it enters the outbox, pending.
    case outboxQueued(clientId: String, channelId: String, content: String, at: Date)
    /// The server stored an outbox message (the POST answered).
    case outboxDelivered(clientId: String, message: Message)
    /// An outbox message's POST failed in a way that may pass (network, 5xx, 429, a token
    /// being refreshed); `retryAfter` is the server's word on when to try again.
    case outboxPostFailed(clientId: String, retryAfter: Duration?)
    /// The wait asked by ``ChatEffect/retry(clientId:after:)`` is over.
    case outboxRetryDue(clientId: String)
    /// The server refused an outbox message for good.
    case outboxFailed(clientId: String, reason: String)
    /// The user asks to send a failed outbox message again.
    case outboxRetried(clientId: String)
    /// The user threw a failed outbox message away.
    case outboxDiscarded(clientId: String)
    /// A REST answer with a newer version of a message (edit, reaction).
    case messageChanged(Message)
    /// We deleted a message.
    case messageRemoved(messageId: String)
    /// Local time passed: expire typing indicators.
    case tick(Date)
    /// Something to tell the user.
    case notice(Notice.Level, String, at: Date)
}
