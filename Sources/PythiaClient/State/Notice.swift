public import Foundation

/// A transient line for the status area: an error frame, a refused intent, a mention.
public struct Notice: Hashable, Sendable, Identifiable {
    /// How loud it is.
    public enum Level: Hashable, Sendable {
        /// Something worth knowing.
        case info
        /// Something failed.
        case error
    }

    /// Increasing per store, so views can tell new notices from old ones.
    public var id: Int
    /// How loud it is.
    public var level: Level
    /// The text.
    public var text: String
    /// When it was raised.
    public var at: Date

    /// Creates a notice.
    public init(id: Int, level: Level, text: String, at: Date) {
        self.id = id
        self.level = level
        self.text = text
        self.at = at
    }
}
