/// A machine-readable error code, in REST error bodies and WebSocket `error` frames.
///
/// Unknown codes from other servers decode as they are.
public struct ErrorCode: RawRepresentable, JSONEncodable, Encodable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: String
    /// Creates a code from its wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The wire value.
    public var description: String { rawValue }

    /// Malformed JSON in a request body or client frame.
    public static let invalidJSON = ErrorCode(rawValue: "invalid_json")
    /// An unrecognised client frame `type`.
    public static let unknownMessageType = ErrorCode(rawValue: "unknown_message_type")
    /// Authenticated but not allowed.
    public static let accessDenied = ErrorCode(rawValue: "access_denied")
    /// A frame that needs `channel_id` has no string one.
    public static let missingChannelID = ErrorCode(rawValue: "missing_channel_id")
    /// `join_channel` failed (no such channel).
    public static let joinChannelError = ErrorCode(rawValue: "join_channel_error")
    /// `leave_channel` failed.
    public static let leaveChannelError = ErrorCode(rawValue: "leave_channel_error")
    /// `typing_indicator` failed (no such channel, or no boolean `is_typing`).
    public static let typingIndicatorError = ErrorCode(rawValue: "typing_indicator_error")
    /// `get_online_users` failed (no such channel).
    public static let getOnlineUsersError = ErrorCode(rawValue: "get_online_users_error")
    /// A server-side failure; details are in the server's log only.
    public static let internalError = ErrorCode(rawValue: "internal_error")
    /// The server cannot reach its database now; retry after `Retry-After` seconds.
    public static let serviceUnavailable = ErrorCode(rawValue: "service_unavailable")
    /// Too many frames or requests.
    public static let rateLimited = ErrorCode(rawValue: "rate_limited")
    /// Missing, malformed, expired or forged token; wrong credentials.
    public static let unauthorized = ErrorCode(rawValue: "unauthorized")
    /// No such user, channel or message.
    public static let notFound = ErrorCode(rawValue: "not_found")
    /// A user name, e-mail or channel name is already taken.
    public static let conflict = ErrorCode(rawValue: "conflict")
    /// A body over 64 KiB.
    public static let payloadTooLarge = ErrorCode(rawValue: "payload_too_large")
    /// A field is missing, of the wrong type, or out of range.
    public static let validationError = ErrorCode(rawValue: "validation_error")
}
