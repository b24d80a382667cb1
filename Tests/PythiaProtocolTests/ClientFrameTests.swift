import Foundation
import PythiaProtocol
import Testing

@Suite struct ClientFrameTests {
    private func parse(_ text: String) -> Result<ClientFrame, ClientFrameError> {
        ClientFrame.parse(Data(text.utf8))
    }

    @Test func parsesTheDocumentedFrames() throws {
        #expect(try parse(#"{"type": "join_channel", "channel_id": "channel-uuid"}"#).get() == .joinChannel(channelId: "channel-uuid"))
        #expect(try parse(#"{"type": "leave_channel", "channel_id": "channel-uuid"}"#).get() == .leaveChannel(channelId: "channel-uuid"))
        #expect(try parse(#"{"type": "typing_indicator", "channel_id": "channel-uuid", "is_typing": true}"#).get()
            == .typingIndicator(channelId: "channel-uuid", isTyping: true))
        #expect(try parse(#"{"type": "ping"}"#).get() == .ping)
        #expect(try parse(#"{"type": "get_online_users", "channel_id": "channel-uuid"}"#).get() == .getOnlineUsers(channelId: "channel-uuid"))
    }

    @Test func ignoresUnknownFields() throws {
        #expect(try parse(#"{"type": "ping", "extra": [1, 2]}"#).get() == .ping)
    }

    @Test(arguments: [
        ("not json", ErrorCode.invalidJSON), ("[1,2]", .invalidJSON), ("\"ping\"", .invalidJSON), ("", .invalidJSON),
        (#"{"channel_id": "x"}"#, .unknownMessageType), (#"{"type": 5}"#, .unknownMessageType),
        (#"{"type": "dance"}"#, .unknownMessageType),
        (#"{"type": "join_channel"}"#, .missingChannelID), (#"{"type": "leave_channel", "channel_id": 7}"#, .missingChannelID),
        (#"{"type": "typing_indicator", "channel_id": "c"}"#, .typingIndicatorError),
    ])
    func classifiesBadFrames(_ text: String, _ code: ErrorCode) {
        guard case .failure(let error) = parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.code == code)
    }

    @Test func encodesWhatItParses() throws {
        let frames: [ClientFrame] = [
            .joinChannel(channelId: "a\"b"), .leaveChannel(channelId: "c"),
            .typingIndicator(channelId: "d", isTyping: false), .ping, .getOnlineUsers(channelId: "e\n"),
        ]
        for frame in frames {
            #expect(try parse(frame.jsonText).get() == frame)
        }
    }
}
