import Foundation
import PythiaProtocol

/// Which channels to list.
enum ChannelScope: Sendable {
    /// The caller's channels.
    case memberOf
    /// Every public channel.
    case publicChannels
}
