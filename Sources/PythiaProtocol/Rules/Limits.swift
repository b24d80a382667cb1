/// The numbers of the contract that both sides need.
public enum Limits {
    /// The largest WebSocket frame and REST body, in bytes.
    public static let maxPayloadBytes = 64 * 1024
    /// The longest message, in characters after trimming.
    public static let maxMessageLength = 4000
    /// The longest channel description.
    public static let maxDescriptionLength = 500
    /// The longest `client_id`.
    public static let maxClientIDLength = 64
    /// The longest emoji string.
    public static let maxEmojiLength = 32
    /// A `typing: true` not refreshed within this many seconds counts as stopped.
    public static let typingExpirySeconds = 6.0
    /// History pages: the default and the largest `limit`.
    public static let defaultHistoryLimit = 50
    /// The largest history `limit`.
    public static let maxHistoryLimit = 200
    /// User search: the default and the largest `limit`.
    public static let defaultUserSearchLimit = 20
    /// The largest user-search `limit`.
    public static let maxUserSearchLimit = 50
    /// Message search: the default `limit`.
    public static let defaultSearchLimit = 20
    /// The largest message-search `limit`.
    public static let maxSearchLimit = 100
    /// The longest message-search query, in characters.
    public static let maxSearchQueryLength = 200
}
