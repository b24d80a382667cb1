import NIOCore

/// Who a published frame is for.
enum Audience: Sendable, Hashable {
    /// Every connection in a channel's room, except those of `excludingUser`.
    case room(String, excludingUser: String? = nil)
    /// Every connection of these users, whatever room they are in.
    case users([String])
}
