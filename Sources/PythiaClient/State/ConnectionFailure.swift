/// Why the engine stopped trying to connect.
public struct ConnectionFailure: Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable { case unauthorized, refused, untrustedCertificate, noServer }
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

    /// The URL answers 404 both on `/ws` and on `/api/v1/auth/me`: not a Pythia server.
    public static func noServer(at endpoint: ServerEndpoint) -> ConnectionFailure {
        ConnectionFailure(kind: .noServer, message: noServerMessage(at: endpoint))
    }

    /// The words for a URL that is not a Pythia server, the same in the chat UI, `send` and `tail`.
    static func noServerMessage(at endpoint: ServerEndpoint) -> String {
        "no Pythia server at \(endpoint): it answers 404 where the chat API should be; check the URL"
    }

    /// Whether the URL is not a Pythia server.
    public var isNoServer: Bool { kind == .noServer }

    /// Whether the server's certificate failed verification.
    public var isUntrustedCertificate: Bool { kind == .untrustedCertificate }

    /// Whether the failure is a refused token.
    public var isUnauthorized: Bool { kind == .unauthorized }

    public var description: String { message }
}
