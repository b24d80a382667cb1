import Foundation
import NIOCore
@testable import PythiaServer
import Synchronization

/// A broker with no hub behind it, for storage tests: it keeps what is published, in order,
/// and has no connections to change, close or find online.
final class RecordingBroker: Broker {
    private let published = Mutex<[String]>([])

    /// The events published so far, decoded.
    var events: [[String: Any]] {
        published.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// The `content` of each `new_message` published so far.
    var postedContents: [String] {
        events.filter { $0["type"] as? String == "new_message" }.compactMap { ($0["data"] as? [String: Any])?["content"] as? String }
    }

    func publish(_ frame: ByteBuffer, to audience: Audience) async {
        // A whole WebSocket text frame: the event is the JSON after the frame's header.
        let text = String(buffer: frame)
        guard let start = text.firstIndex(of: "{") else { return }
        published.withLock { $0.append(String(text[start...])) }
    }

    func changeMembership(userId: String, channelId: String, joined: Bool) async {}
    func closeConnections(of userId: String, tokenId: String?, reason: String) async {}
    func online(among userIds: [String]) async throws -> [String] { [] }
    func isOnline(_ userId: String) async throws -> Bool { false }
    func hubReported(_ report: HubReport, by hub: isolated Hub) {}
    func shutdown() async {}
}
