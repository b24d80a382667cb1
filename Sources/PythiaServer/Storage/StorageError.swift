import Foundation
import PythiaProtocol

/// A storage failure the handlers turn into a REST error.
enum StorageError: Error, Sendable {
    /// A unique name is taken; the associated value says which field.
    case conflict(String)
    /// A referenced row does not exist; the associated value says what.
    case notFound(String)
    /// A post's author is not a member of its channel, which may not exist: the caller reads
    /// the channel to tell which (it is not read on the way of every post).
    case notMember
    /// The database cannot be reached now (PostgreSQL down or out of reach); the associated
    /// value says why, for the log. Requests answer 503 and may be retried.
    case unavailable(String)
}
