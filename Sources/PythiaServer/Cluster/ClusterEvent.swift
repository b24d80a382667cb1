import Foundation
import NIOCore

/// One effect the ``PostgresBroker`` carries to every process's hub, as JSON.
enum ClusterEvent: Codable, Sendable, Equatable {
    /// A frame for an audience: `frame` is the event's JSON, framed again by each process.
    case deliver(audience: Audience, frame: String)
    /// A user became, or stopped being, a member of a channel.
    case membership(userId: String, channelId: String, joined: Bool)
    /// Close the connections of a user (of one token, or all of them).
    case close(userId: String, tokenId: String?, reason: String)

    /// `frame`, a whole frame from ``EventEncoder``, for `audience`.
    init(frame: ByteBuffer, audience: Audience) {
        self = .deliver(audience: audience, frame: String(decoding: EventEncoder.payload(ofTextFrame: frame), as: UTF8.self))
    }

    /// The event as JSON text.
    func json() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    /// The event in `json`; throws for what this build cannot read (a newer one wrote it).
    init(json: String) throws {
        self = try JSONDecoder().decode(ClusterEvent.self, from: Data(json.utf8))
    }

    /// Does the event to this process's connections.
    func apply(to hub: Hub) async {
        switch self {
        case .deliver(let audience, let frame):
            await hub.deliver(EventEncoder.textFrame(frame.utf8), to: audience)
        case .membership(let userId, let channelId, let joined):
            await hub.membershipChanged(userId: userId, channelId: channelId, joined: joined)
        case .close(let userId, let tokenId, let reason):
            await hub.closeConnections(of: userId, tokenId: tokenId, reason: reason)
        }
    }
}
