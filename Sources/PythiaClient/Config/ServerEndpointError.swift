import PythiaProtocol
import Foundation

/// Why a server address could not be used.
public struct ServerEndpointError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong and what to give instead.
    public let description: String

    init(_ description: String) { self.description = description }
}
