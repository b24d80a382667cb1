import Foundation
import NIOCore
import PythiaProtocol

/// Delivers straight to this process's hub: the server is alone.
struct InProcessBroker: Broker {
    let hub: Hub

    func publish(_ frame: ByteBuffer, to audience: Audience) async {
        await hub.deliver(frame, to: audience)
    }

    func changeMembership(userId: String, channelId: String, joined: Bool) async {
        await hub.membershipChanged(userId: userId, channelId: channelId, joined: joined)
    }

    func closeConnections(of userId: String, tokenId: String?, reason: String) async {
        await hub.closeConnections(of: userId, tokenId: tokenId, reason: reason)
    }

    func online(among userIds: [String]) async -> [String] {
        await hub.online(among: userIds)
    }

    func isOnline(_ userId: String) async -> Bool {
        await hub.isOnline(userId)
    }

    func hubReported(_ report: HubReport, by hub: isolated Hub) {
        let (frame, audience) = report.broadcast
        hub.deliver(frame, to: audience)
    }

    func shutdown() async {
        await hub.report(to: nil)
    }
}
