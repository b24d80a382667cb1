import Foundation
import PythiaProtocol

/// A storage failure the handlers turn into a REST error.
enum StorageError: Error, Sendable {
    /// A unique name is taken; the associated value says which field.
    case conflict(String)
    /// A referenced row does not exist; the associated value says what.
    case notFound(String)
}
