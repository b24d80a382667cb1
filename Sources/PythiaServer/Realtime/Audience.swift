import NIOCore

/// Who a published frame is for.
enum Audience: Sendable, Hashable, Codable {
    /// Every connection in a channel's room, except those of `excludingUser`.
    case room(String, excludingUser: String? = nil)
    /// Every connection in any of these rooms, once, except those of `excludingUser`.
    case rooms(Set<String>, excludingUser: String)
    /// Every connection of these users, whatever room they are in.
    case users([String])
}
