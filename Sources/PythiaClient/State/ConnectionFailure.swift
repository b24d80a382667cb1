/// Why the engine stopped trying to connect.
public struct ConnectionFailure: Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable { case unauthorized, refused, untrustedCertificate }
    private let kind: Kind
    /// What happened and what to do, fit for the status bar.
    public let message: String

    /// The server refuses the token: log in again.
    public static let unauthorized = ConnectionFailure(
        kind: .unauthorized, message: "the server refused the token; run `pythia-chat login` again")

    /// Any other permanent refusal, with what the server or the network said.
    public static func refused(_ message: String) -> ConnectionFailure {
        ConnectionFailure(kind: .refused, message: message)
    }

    /// The server's certificate failed verification: `message` names the host and why.
    public static func untrustedCertificate(_ message: String) -> ConnectionFailure {
        ConnectionFailure(kind: .untrustedCertificate, message: message)
    }

    /// Whether the server's certificate failed verification.
    public var isUntrustedCertificate: Bool { kind == .untrustedCertificate }

    /// Whether the failure is a refused token.
    public var isUnauthorized: Bool { kind == .unauthorized }

    public var description: String { message }
}
