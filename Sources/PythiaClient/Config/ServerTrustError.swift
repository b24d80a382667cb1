import Foundation
import NIOSSL
import NIOCore

/// Why a CA file cannot be used.
public struct ServerTrustError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with the file.
    public let description: String

    init(_ description: String) { self.description = description }
}
