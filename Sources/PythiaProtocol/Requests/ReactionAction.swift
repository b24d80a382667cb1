/// Whether a reaction is added or removed.
public struct ReactionAction: RawRepresentable, JSONEncodable, Codable, Hashable, Sendable {
    /// The wire value.
    public var rawValue: String
    /// Creates an action from its wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Adds the caller's reaction.
    public static let add = ReactionAction(rawValue: "add")
    /// Removes the caller's reaction.
    public static let remove = ReactionAction(rawValue: "remove")
}
