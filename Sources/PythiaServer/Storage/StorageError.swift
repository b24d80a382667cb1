import Foundation
import PythiaProtocol

/// A storage failure the handlers turn into a REST error.
enum StorageError: Error, Sendable {
    /// A unique name is taken; the associated value says which field.
    case conflict(String)
    /// A referenced row does not exist; the associated value says what.
    case notFound(String)
    /// The database cannot be reached now (PostgreSQL down or out of reach); the associated
    /// value says why, for the log. Requests answer 503 and may be retried.
    case unavailable(String)
}
