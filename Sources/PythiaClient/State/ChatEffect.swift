import Foundation
import PythiaProtocol

/// Work the store asks its owner to do; the store itself never does I/O.
public enum ChatEffect: Hashable, Sendable {
    /// Our channel list may have changed: fetch it again.
    case refreshChannels
    /// Fetch a channel's members.
    case loadMembers(channelId: String)
    /// Fetch a user we only know by id.
    case loadUser(userId: String)
    /// POST an outbox message with its `client_id`; answer with
    /// ``ChatAction/outboxDelivered(clientId:message:)``,
    /// ``ChatAction/outboxPostFailed(clientId:retryAfter:)`` or
    /// ``ChatAction/outboxFailed(clientId:reason:)``.
    case post(clientId: String, channelId: String, content: String)
    /// Wait `after`, then answer with ``ChatAction/outboxRetryDue(clientId:)``.
    case retry(clientId: String, after: Duration)
    /// The outbox's pending messages changed: save them, so a restart of the program keeps them.
    case saveOutbox
    /// ``ChatState/lastRead`` changed: save it, so a restart shows the same unread counts.
    case saveReadPositions
}
