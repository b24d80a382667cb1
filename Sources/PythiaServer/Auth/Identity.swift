import Foundation

/// Who a verified token speaks for, and until when.
struct Identity: Sendable, Hashable {
    /// The user's id (`sub`).
    let userId: String
    /// The user's name (`username`).
    let username: String
    /// When the token expires (`exp`).
    let expiresAt: Date
}
