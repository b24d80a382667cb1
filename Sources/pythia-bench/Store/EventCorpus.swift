import Foundation
import PythiaProtocol

/// Deterministic, realistic-looking server events for the store and render benchmarks:
/// messages of varied length from a few dozen users over some channels, typing and presence.
struct EventCorpus: Sendable {
    let channels: [String]
    let users: [User]

    init(channels: Int, users: Int) {
        self.channels = (0..<channels).map { Self.uuid(1, $0) }
        self.users = (0..<users).map {
            User(id: Self.uuid(2, $0), username: "user_\($0)", email: "user_\($0)@example.com")
        }
    }

    private static let words = """
        the deploy went fine but the cache warmed slowly so latency spiked for a minute before settling \
        can someone review my pull request about the websocket reconnect backoff and the outbox retry \
        lunch at noon? I'll book the usual place 🍜 and bring the slides for Thursday's planning meeting \
        über naïve café résumé 日本語 テキスト emoji 👍🎉 mixed widths in one line to exercise wrapping
        """.split(separator: " ").map(String.init)

    /// Message number `index`: 3 to 40 words, in channel `index % channels`.
    func message(_ index: Int, at date: Date) -> Message {
        let user = users[(index &* 7) % users.count]
        let count = 3 + (index &* 13) % 38
        let start = (index &* 31) % Self.words.count
        let content = (0..<count).map { Self.words[(start + $0) % Self.words.count] }.joined(separator: " ")
        return Message(
            id: Self.uuid(3, index), content: content, channelId: channels[index % channels.count],
            userId: user.id, createdAt: date, updatedAt: date, user: user)
    }

    /// `count` new_message events, one second apart.
    func newMessages(_ count: Int, from start: Date = Date(timeIntervalSince1970: 1_767_225_600)) -> [ServerEvent] {
        (0..<count).map { .newMessage(MessageEvent(data: message($0, at: start + Double($0)), timestamp: start + Double($0))) }
    }

    /// `count` typing_indicator events, alternating start and stop.
    func typing(_ count: Int) -> [ServerEvent] {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        return (0..<count).map {
            .typingIndicator(TypingIndicator(
                userId: users[$0 % users.count].id, channelId: channels[$0 % channels.count],
                isTyping: ($0 / users.count) % 2 == 0, timestamp: now))
        }
    }

    /// `count` user_status events, alternating online and offline.
    func presence(_ count: Int) -> [ServerEvent] {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        return (0..<count).map {
            .userStatus(UserStatus(
                userId: users[$0 % users.count].id, status: ($0 / users.count) % 2 == 0 ? .online : .offline,
                timestamp: now))
        }
    }

    /// The frames a server would send for `events`.
    static func frames(_ events: [ServerEvent]) -> [Data] {
        events.map { Data(JSONWriter.bytes(of: $0)) }
    }

    /// A lowercase UUID string made of two numbers, stable from run to run.
    static func uuid(_ kind: Int, _ index: Int) -> String {
        let hex = String(index, radix: 16)
        let tail = String(repeating: "0", count: max(0, 12 - hex.count)) + hex
        return "0000000\(kind)-0000-4000-8000-\(tail)"
    }
}
