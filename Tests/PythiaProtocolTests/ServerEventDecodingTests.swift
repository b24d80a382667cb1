import Foundation
import PythiaProtocol
import Testing

/// What the client tolerates in frames and resources, and that every event survives the
/// server's encoding and the client's decoding unchanged.
@Suite struct ServerEventDecodingTests {
    static let t0 = Date(timeIntervalSince1970: 1_704_623_400.125)
    static let alice = User(id: "u-alice", username: "alice", email: "alice@example.com")
    static let message = Message(
        id: "m1", content: "hi \"there\" \\ 👍\n", channelId: "c1", userId: alice.id, createdAt: t0,
        updatedAt: t0.addingTimeInterval(5), user: alice,
        reactions: [ReactionSummary(emoji: "👍", count: 2, userIds: ["u-alice", "u-bob"])])

    static let everyEvent: [ServerEvent] = [
        .connectionEstablished(ConnectionEstablished(userId: "u", username: "alice", timestamp: t0)),
        .channelJoined(ChannelAck(channelId: "c", timestamp: t0)),
        .channelLeft(ChannelAck(channelId: "c", timestamp: t0)),
        .pong(Pong(timestamp: t0)),
        .onlineUsers(OnlineUsers(channelId: "c", users: ["a", "b"], timestamp: t0)),
        .onlineUsers(OnlineUsers(channelId: "c", users: [], timestamp: t0)),
        .newMessage(MessageEvent(data: message, timestamp: t0)),
        .messageUpdated(MessageEvent(data: message, timestamp: t0)),
        .messageDeleted(MessageDeleted(messageId: "m", channelId: "c", timestamp: t0)),
        .messageReaction(MessageReaction(
            messageId: "m", channelId: "c",
            data: ReactionChange(emoji: "🎉", userId: "u", username: "alice", action: .remove), timestamp: t0)),
        .messageReaction(MessageReaction(
            messageId: "m", channelId: nil,
            data: ReactionChange(emoji: "👍", userId: "u", username: "alice", action: .add), timestamp: t0)),
        .typingIndicator(TypingIndicator(userId: "u", channelId: "c", isTyping: false, timestamp: t0)),
        .userStatus(UserStatus(userId: "u", status: .offline, timestamp: t0)),
        .userJoined(MembershipChange(userId: "u", channelId: "c", timestamp: t0)),
        .userLeft(MembershipChange(userId: "u", channelId: "c", timestamp: t0)),
        .mentionNotification(MentionNotification(
            data: Mention(messageId: "m", channelId: "c", content: "@alice hi", fromUserId: "b", fromUsername: "bob"),
            timestamp: t0)),
        .error(ErrorEvent(errorCode: .accessDenied, message: "no", details: "private")),
        .error(ErrorEvent(errorCode: .rateLimited, message: "slow down")),
    ]

    @Test(arguments: everyEvent)
    func roundTripsThroughEncoding(_ event: ServerEvent) throws {
        let data = Data(JSONWriter.bytes(of: event))
        #expect(try PythiaJSON.decode(ServerEvent.self, from: data) == event)
        #expect(try PythiaJSON.decode(ServerEvent.self, from: String(decoding: data, as: UTF8.self)) == event)
    }

    @Test func findsTheTypeAnywhereAndIgnoresUnknownFields() throws {
        let frame = #"""
            {"channel_id": "c", "extra": {"nested": [1, {"deep": null}], "s": "\u00e9"}, "users": ["a"],
             "timestamp": "2024-01-07T10:30:00.125Z", "type": "online_users", "more": -1.5e3}
            """#
        #expect(try PythiaJSON.decode(ServerEvent.self, from: frame)
            == .onlineUsers(OnlineUsers(channelId: "c", users: ["a"], timestamp: Self.t0)))
    }

    @Test func keepsUnknownTypesButStillValidatesThem() throws {
        #expect(try PythiaJSON.decode(ServerEvent.self, from: #"{"type": "channel_archived", "x": {"y": [true]}}"#)
            == .unknown(type: "channel_archived"))
        #expect(throws: JSONError(.unexpectedByte(UInt8(ascii: "}")), at: 34)) {
            try PythiaJSON.decode(ServerEvent.self, from: #"{"type": "channel_archived", "x": }"#)
        }
        #expect(throws: JSONError(.missingField("type"), at: 0)) {
            try PythiaJSON.decode(ServerEvent.self, from: #"{"timestamp": "2024-01-07T10:30:00Z"}"#)
        }
    }

    @Test func readsBothTimestampForms() throws {
        for (text, seconds) in [("2024-01-07T10:30:00Z", 1_704_623_400.0), ("2024-01-07T10:30:00.125Z", 1_704_623_400.125)] {
            let event = try PythiaJSON.decode(ServerEvent.self, from: #"{"type": "pong", "timestamp": "\#(text)"}"#)
            #expect(event == .pong(Pong(timestamp: Date(timeIntervalSince1970: seconds))))
        }
        #expect(throws: JSONError(.invalidTimestamp("yesterday"), at: 30)) {
            try PythiaJSON.decode(ServerEvent.self, from: #"{"type": "pong", "timestamp": "yesterday"}"#)
        }
    }

    @Test func refusesWrongTypesAndMissingFieldsWithTypedErrors() {
        #expect(throws: JSONError(.typeMismatch(expected: .bool, found: .string), at: 77)) {
            try PythiaJSON.decode(ServerEvent.self, from: #"{"type": "typing_indicator", "user_id": "u", "channel_id": "c", "is_typing": "yes", "timestamp": "2024-01-07T10:30:00Z"}"#)
        }
        #expect(throws: JSONError(.missingField("channel_id"), at: 0)) {
            try PythiaJSON.decode(ServerEvent.self, from: #"{"type": "user_joined", "user_id": "u", "timestamp": "2024-01-07T10:30:00Z"}"#)
        }
        #expect(throws: JSONError(.typeMismatch(expected: .string, found: .null), at: 39)) {
            try PythiaJSON.decode(ServerEvent.self, from: #"{"type": "new_message", "data": {"id": null}}"#)
        }
    }

    @Test func acceptsMissingOrNullOptionalFields() throws {
        let message = try PythiaJSON.decode(Message.self, from: #"""
            {"id": "m", "content": "x", "channelId": "c", "userId": "u", "createdAt": "2024-01-07T10:30:00Z",
             "updatedAt": null, "user": null, "reactions": null}
            """#)
        #expect(message.updatedAt == message.createdAt)
        #expect(message.user == User(id: "u", username: "u", email: ""))
        #expect(message.reactions.isEmpty)
        let fromUser = try PythiaJSON.decode(Message.self, from: #"""
            {"id": "m", "content": "x", "channelId": "c", "createdAt": "2024-01-07T10:30:00Z", "user": {"id": "u2", "username": "bob"}}
            """#)
        #expect(fromUser.userId == "u2")
        #expect(fromUser.user.email.isEmpty)

        let channel = try PythiaJSON.decode(Channel.self, from: #"{"id": "c", "name": "general", "created_at": null, "description": null}"#)
        #expect(channel == Channel(id: "c", name: "general", createdBy: "", isMember: true))
        let member = try PythiaJSON.decode(Member.self, from: #"{"user": {"id": "u", "username": "bob", "created_at": "2024-01-07T10:30:00Z"}}"#)
        #expect(member.role == .member)
        #expect(member.joinedAt == nil)
        #expect(member.user.createdAt == Date(timeIntervalSince1970: 1_704_623_400))

        let reaction = try PythiaJSON.decode(ServerEvent.self, from: #"""
            {"type": "message_reaction", "message_id": "m", "data": {"emoji": "👍", "user_id": "u", "username": "a",
             "action": "add"}, "timestamp": "2024-01-07T10:30:00Z", "channel_id": null}
            """#)
        guard case .messageReaction(let payload) = reaction else {
            Issue.record("not a message_reaction")
            return
        }
        #expect(payload.channelId == nil)
        #expect(try PythiaJSON.decode(ServerEvent.self, from: #"{"type": "error"}"#)
            == .error(ErrorEvent(errorCode: .internalError, message: "")))
    }

    @Test func readsRESTResourcesAndErrorBodies() throws {
        let token = TokenResponse(accessToken: "jwt", expiresIn: 3600, user: User(id: "u", username: "a", email: "a@x", createdAt: Self.t0))
        #expect(try PythiaJSON.decode(TokenResponse.self, from: try PythiaJSON.encode(token)) == token)
        let channels = [Channel(id: "c", name: "general", description: "d", isPrivate: true, createdBy: "u", createdAt: Self.t0, memberCount: 3, isMember: false)]
        #expect(try PythiaJSON.decode([Channel].self, from: try PythiaJSON.encode(channels)) == channels)
        let members = [Member(user: Self.alice, role: .owner, joinedAt: Self.t0, online: true)]
        #expect(try PythiaJSON.decode([Member].self, from: try PythiaJSON.encode(members)) == members)
        let reaction = ReactionResponse(messageId: "m", emoji: "👍", action: .add, count: 1)
        #expect(try PythiaJSON.decode(ReactionResponse.self, from: try PythiaJSON.encode(reaction)) == reaction)
        let health = HealthStatus(status: "ok")
        #expect(try PythiaJSON.decode(HealthStatus.self, from: try PythiaJSON.encode(health)) == health)
        #expect(try PythiaJSON.decode([Message].self, from: try PythiaJSON.encode([Self.message])) == [Self.message])

        let body = try PythiaJSON.decode(APIErrorBody.self, from: #"{"detail": "taken", "code": "conflict"}"#)
        #expect(body == APIErrorBody(detail: "taken", code: .conflict))
        let listed = try PythiaJSON.decode(APIErrorBody.self, from: #"{"detail": [{"loc": ["body"], "msg": "x"}]}"#)
        #expect(listed == APIErrorBody(detail: "the server rejected the request", code: ErrorCode(rawValue: "")))
    }
}
