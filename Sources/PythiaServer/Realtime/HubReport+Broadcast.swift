import Foundation
import NIOCore
import PythiaProtocol

extension HubReport {
    /// The frame every process delivers for this report, and to whom: `user_status` to the
    /// rooms of the user's channels, `typing_indicator` to the channel's room, never to the
    /// user's own connections.
    var broadcast: (frame: ByteBuffer, audience: Audience) {
        switch self {
        case .arrived(let userId, let channelIds), .departed(let userId, let channelIds):
            let status: PresenceStatus = if case .arrived = self { .online } else { .offline }
            let event = ServerEvent.userStatus(.init(userId: userId, status: status, timestamp: Date()))
            return (EventEncoder.encode(event), .rooms(channelIds, excludingUser: userId))
        case .typing(let userId, let channelId, let isTyping):
            let event = ServerEvent.typingIndicator(
                .init(userId: userId, channelId: channelId, isTyping: isTyping, timestamp: Date()))
            return (EventEncoder.encode(event), .room(channelId, excludingUser: userId))
        }
    }
}
