/// Why the flags, the environment and the saved login do not say where to connect.
public struct ConnectionResolverError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong and what to give instead.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
