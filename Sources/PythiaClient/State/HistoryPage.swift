import Foundation
import PythiaProtocol

/// Which page of history a ``ChatAction/historyLoaded(channelId:messages:page:)`` holds.
public enum HistoryPage: Hashable, Sendable {
    /// The newest messages (no cursor), asked with `limit`.
    case latest(limit: Int)
    /// Messages older than the oldest loaded (`before=`), asked with `limit`.
    case older(limit: Int)
    /// Messages newer than the newest loaded (`after=`): the gap after a reconnect.
    case newer
}
