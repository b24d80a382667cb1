import Foundation
import PythiaProtocol
import Testing

/// Every server frame of `websocket-api.md`, literally, decodes and re-encodes to the same JSON.
@Suite struct ServerEventTests {
    static let documentedFrames: [String] = [
        #"{"type": "channel_joined", "channel_id": "channel-uuid", "timestamp": "2024-01-07T10:30:00Z"}"#,
        #"{"type": "channel_left", "channel_id": "channel-uuid", "timestamp": "2024-01-07T10:30:00Z"}"#,
        #"{"type": "pong", "timestamp": "2024-01-07T10:30:00Z"}"#,
        #"{"type": "online_users", "channel_id": "channel-uuid", "users": ["user1-id", "user2-id"], "timestamp": "2024-01-07T10:30:00Z"}"#,
        #"{"type": "connection_established", "user_id": "user-uuid", "username": "john_doe", "timestamp": "2024-01-07T10:30:00Z"}"#,
        #"""
        {"type": "new_message", "data": {"id": "message-uuid", "content": "Hello everyone!", "channelId": "channel-uuid",
         "userId": "user-uuid", "createdAt": "2024-01-07T10:30:00Z", "updatedAt": "2024-01-07T10:30:00Z",
         "user": {"id": "user-uuid", "username": "john_doe", "email": "john@example.com"}}, "timestamp": "2024-01-07T10:30:00Z"}
        """#,
        #"""
        {"type": "message_reaction", "message_id": "message-uuid", "data": {"emoji": "👍", "user_id": "user-uuid",
         "username": "john_doe", "action": "add"}, "timestamp": "2024-01-07T10:30:00Z"}
        """#,
        #"{"type": "typing_indicator", "user_id": "user-uuid", "channel_id": "channel-uuid", "is_typing": true, "timestamp": "2024-01-07T10:30:00Z"}"#,
        #"{"type": "user_status", "user_id": "user-uuid", "status": "online", "timestamp": "2024-01-07T10:30:00Z"}"#,
        #"{"type": "user_joined", "user_id": "user-uuid", "channel_id": "channel-uuid", "timestamp": "2024-01-07T10:30:00Z"}"#,
        #"{"type": "user_left", "user_id": "user-uuid", "channel_id": "channel-uuid", "timestamp": "2024-01-07T10:30:00Z"}"#,
        #"""
        {"type": "mention_notification", "data": {"message_id": "message-uuid", "channel_id": "channel-uuid",
         "content": "Hey @john_doe, check this out!", "from_user_id": "sender-uuid", "from_username": "jane_doe"},
         "timestamp": "2024-01-07T10:30:00Z"}
        """#,
        #"{"type": "error", "error_code": "access_denied", "message": "Access denied to channel", "details": "User is not a member of this private channel"}"#,
    ]

    /// The JSON as a Foundation object graph, with timestamps normalised so that the
    /// emitted milliseconds compare equal to the document's whole seconds.
    private func normalised(_ data: Data) throws -> NSDictionary {
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return NSDictionary(dictionary: normaliseDates(object) as! [String: Any])
    }

    private func normaliseDates(_ value: Any) -> Any {
        if let dictionary = value as? [String: Any] {
            return dictionary.mapValues(normaliseDates).filter { key, value in
                // `reactions: []` is the API.md addition to a message; the document has none.
                !(key == "reactions" && (value as? [Any])?.isEmpty == true)
            }
        }
        if let array = value as? [Any] { return array.map(normaliseDates) }
        if let text = value as? String, let date = Timestamp.parse(text) { return date.timeIntervalSince1970 }
        return value
    }

    @Test(arguments: documentedFrames)
    func roundTripsTheDocumentedFrame(_ json: String) throws {
        let event = try PythiaJSON.decode(ServerEvent.self, from: Data(json.utf8))
        #expect(event.type == (try normalised(Data(json.utf8)))["type"] as? String)
        if case .unknown = event { Issue.record("decoded as unknown: \(json)") }
        let encoded = Data(JSONWriter.bytes(of: event))
        #expect(try normalised(encoded) == (try normalised(Data(json.utf8))))
    }

    @Test func decodesTheFieldsOfNewMessage() throws {
        let event = try PythiaJSON.decode(ServerEvent.self, from: Data(Self.documentedFrames[5].utf8))
        guard case .newMessage(let payload) = event else {
            Issue.record("not a new_message")
            return
        }
        #expect(payload.data.content == "Hello everyone!")
        #expect(payload.data.user.username == "john_doe")
        #expect(payload.data.reactions.isEmpty)
        #expect(!payload.data.isEdited)
    }

    @Test func keepsUnknownTypesAndIgnoresUnknownFields() throws {
        let unknown = try PythiaJSON.decode(ServerEvent.self, from: Data(#"{"type": "channel_archived", "x": 1}"#.utf8))
        #expect(unknown == .unknown(type: "channel_archived"))
        let extra = try PythiaJSON.decode(
            ServerEvent.self,
            from: Data(#"{"type": "pong", "timestamp": "2024-01-07T10:30:00.5Z", "server": "other"}"#.utf8))
        guard case .pong(let pong) = extra else {
            Issue.record("not a pong")
            return
        }
        #expect(pong.timestamp.timeIntervalSince1970 == 1_704_623_400.5)
    }

    @Test func encodesAdditionalEvents() throws {
        let deleted = ServerEvent.messageDeleted(MessageDeleted(
            messageId: "m", channelId: "c", timestamp: Date(timeIntervalSince1970: 0)))
        let text = String(decoding: JSONWriter.bytes(of: deleted), as: UTF8.self)
        #expect(text.contains(#""type":"message_deleted""#))
        #expect(text.contains(#""timestamp":"1970-01-01T00:00:00.000Z""#))
        #expect(try PythiaJSON.decode(ServerEvent.self, from: Data(text.utf8)) == deleted)
    }
}
