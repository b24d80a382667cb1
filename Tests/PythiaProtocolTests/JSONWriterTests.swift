import Foundation
import PythiaProtocol
import PythiaTestSupport
import Testing

/// ``JSONWriter`` writes what Foundation's `JSONEncoder` wrote before it: every frame the
/// server sends, and the messages and users of its REST answers, go through it.
@Suite struct JSONWriterTests {
    /// Every byte that JSON must escape, the ones it need not, and text beyond ASCII.
    static let awkwardStrings: [String] = [
        "", "plain", "\"", "\\", "\"quoted\" \\ back", "/slash/", "é", "👍🏽", "\u{2028}\u{2029}", "\u{7F}",
        "line\nbreak\r\ttab", String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }),
        "ends with an escape\u{1}", "\u{0}starts with one",
    ]

    @Test(arguments: awkwardStrings)
    func aStringReadsBackExactly(_ text: String) throws {
        let bytes = Data(JSONWriter.bytes(of: [text]))
        #expect(try JSONSerialization.jsonObject(with: bytes) as? [String] == [text])
        #expect(try PythiaJSON.decode([String].self, from: String(decoding: bytes, as: UTF8.self)) == [text])
    }

    @Test func controlCharactersAreEscapedShortOrAsLowercaseHex() {
        let text = String(decoding: JSONWriter.bytes(of: "a\u{1}\n\r\t\u{1F}\"\\/"), as: UTF8.self)
        #expect(text == #""a\u0001\n\r\t\u001f\"\\/""#)
    }

    @Test func commasSeparateMembersAndElementsAtEveryDepth() {
        let t0 = Date(timeIntervalSince1970: 0)
        let event = ServerEvent.onlineUsers(OnlineUsers(channelId: "c", users: ["a", "b"], timestamp: t0))
        #expect(String(decoding: JSONWriter.bytes(of: event), as: UTF8.self)
            == #"{"type":"online_users","channel_id":"c","users":["a","b"],"timestamp":"1970-01-01T00:00:00.000Z"}"#)
        let empty = ServerEvent.onlineUsers(OnlineUsers(channelId: "c", users: [], timestamp: t0))
        #expect(String(decoding: JSONWriter.bytes(of: empty), as: UTF8.self)
            == #"{"type":"online_users","channel_id":"c","users":[],"timestamp":"1970-01-01T00:00:00.000Z"}"#)
    }

    @Test func anAbsentOptionalIsLeftOutAsEncodeIfPresentDoes() {
        let text = String(decoding: JSONWriter.bytes(of: ServerEvent.error(ErrorEvent(errorCode: .rateLimited, message: "slow"))), as: UTF8.self)
        #expect(text == #"{"type":"error","error_code":"rate_limited","message":"slow"}"#)
    }

    /// Messages and users are also `Encodable` (search hits and exports use Foundation's
    /// encoder): both encodings must read as the same JSON.
    @Test func messagesAndUsersAreWrittenAsJSONEncoderWritesThem() throws {
        var generator = SeededGenerator(state: 7)
        func text() -> String {
            (0..<Int.random(in: 0...3, using: &generator)).map { _ in Self.awkwardStrings.randomElement(using: &generator)! }.joined()
        }
        func date() -> Date { Date(timeIntervalSince1970: Double(Int.random(in: 0...4_000_000_000_000, using: &generator)) / 1000) }
        let encoder = PythiaJSON.makeEncoder()
        for _ in 0..<300 {
            let author = User(id: text(), username: text(), email: text(), createdAt: Bool.random(using: &generator) ? date() : nil)
            let reactions = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                ReactionSummary(emoji: text(), count: Int.random(in: 0...Int.max, using: &generator), userIds: (0..<Int.random(in: 0...2, using: &generator)).map { _ in text() })
            }
            let message = Message(
                id: text(), content: text(), channelId: text(), userId: author.id, createdAt: date(), updatedAt: date(),
                user: author, reactions: reactions, clientId: Bool.random(using: &generator) ? text() : nil)
            #expect(try Self.parsed(JSONWriter.bytes(of: message)) == Self.parsed(Array(encoder.encode(message))))
            #expect(try Self.parsed(JSONWriter.bytes(of: author)) == Self.parsed(Array(encoder.encode(author))))
        }
    }

    private static func parsed(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }
}
