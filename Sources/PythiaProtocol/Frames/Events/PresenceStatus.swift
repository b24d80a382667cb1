import Foundation

/// A user's presence.
public struct PresenceStatus: RawRepresentable, JSONEncodable, Encodable, Hashable, Sendable {
    /// The wire value.
    public var rawValue: String
    /// Creates a status from its wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// At least one live connection.
    public static let online = PresenceStatus(rawValue: "online")
    /// No live connection.
    public static let offline = PresenceStatus(rawValue: "offline")
}
