public import Foundation

/// A frame a client sends over the WebSocket.
public enum ClientFrame: Hashable, Sendable {
    /// Watch a channel's room (`join_channel`).
    case joinChannel(channelId: String)
    /// Stop watching a channel's room (`leave_channel`).
    case leaveChannel(channelId: String)
    /// Start or stop typing in a channel (`typing_indicator`).
    case typingIndicator(channelId: String, isTyping: Bool)
    /// Ask for a `pong` (`ping`).
    case ping
    /// Ask who of a channel's members is online (`get_online_users`).
    case getOnlineUsers(channelId: String)

    /// The frame's wire `type`.
    public var type: String {
        switch self {
        case .joinChannel: "join_channel"
        case .leaveChannel: "leave_channel"
        case .typingIndicator: "typing_indicator"
        case .ping: "ping"
        case .getOnlineUsers: "get_online_users"
        }
    }

    /// The channel the frame is about, if any.
    public var channelId: String? {
        switch self {
        case .joinChannel(let id), .leaveChannel(let id), .getOnlineUsers(let id), .typingIndicator(let id, _): id
        case .ping: nil
        }
    }

    /// The frame as JSON text, ready for a WebSocket text frame.
    public var jsonText: String {
        String(decoding: JSONWriter.bytes(of: self, capacity: 96), as: UTF8.self)
    }

    /// Parses a client's text frame, telling exactly what is wrong with a bad one.
    public static func parse(_ data: Data) -> Result<ClientFrame, ClientFrameError> {
        let raw: RawClientFrame
        do {
            raw = try PythiaJSON.decode(RawClientFrame.self, from: data)
        } catch {
            return .failure(ClientFrameError(
                code: .invalidJSON, message: "Invalid JSON", details: "A frame must be a JSON object"))
        }
        guard let type = raw.type else {
            return .failure(ClientFrameError(
                code: .unknownMessageType, message: "Unknown message type",
                details: "A frame needs a string \"type\""))
        }
        if type == "ping" { return .success(.ping) }
        guard ["join_channel", "leave_channel", "typing_indicator", "get_online_users"].contains(type) else {
            return .failure(ClientFrameError(
                code: .unknownMessageType, message: "Unknown message type",
                details: "\"\(type.prefix(64))\" is not a client message type"))
        }
        guard let channelId = raw.channelId else {
            return .failure(ClientFrameError(
                code: .missingChannelID, message: "channel_id is required",
                details: "\(type) needs a string \"channel_id\""))
        }
        switch type {
        case "join_channel": return .success(.joinChannel(channelId: channelId))
        case "leave_channel": return .success(.leaveChannel(channelId: channelId))
        case "get_online_users": return .success(.getOnlineUsers(channelId: channelId))
        default:
            guard let isTyping = raw.isTyping else {
                return .failure(ClientFrameError(
                    code: .typingIndicatorError, message: "is_typing is required",
                    details: "typing_indicator needs a boolean \"is_typing\""))
            }
            return .success(.typingIndicator(channelId: channelId, isTyping: isTyping))
        }
    }
}

extension ClientFrame: JSONObjectEncodable {
    private enum CodingKeys: String, CodingKey {
        case type
        case channelId = "channel_id"
        case isTyping = "is_typing"
    }

    /// Writes `type`, then `channel_id` and `is_typing` where the frame has them.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(type, for: CodingKeys.type)
        writer.write(channelId, for: CodingKeys.channelId)
        if case .typingIndicator(_, let isTyping) = self { writer.write(isTyping, for: CodingKeys.isTyping) }
    }
}

/// Fields are read one by one so that a wrong type in one field is reported as that
/// field missing, not as invalid JSON.
private struct RawClientFrame: JSONDecodable {
    var type: String?
    var channelId: String?
    var isTyping: Bool?

    init(json reader: inout JSONReader) throws(JSONError) {
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "type": type = try reader.readIfKind(String.self)
            case "channel_id": channelId = try reader.readIfKind(String.self)
            case "is_typing": isTyping = try reader.readIfKind(Bool.self)
            default: try reader.skipValue()
            }
        }
    }
}
