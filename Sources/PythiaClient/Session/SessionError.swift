/// Why an intent of ``Session`` was refused.
public struct SessionError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable { case invalid, unknownChannel, notFound, notConnected, timedOut, server }
    private let kind: Kind
    /// What went wrong and what to do, fit for the status line.
    public let description: String
    /// The server's refusal, when the server refused.
    public let apiError: APIError?

    private init(_ kind: Kind, _ description: String, apiError: APIError? = nil) {
        self.kind = kind
        self.description = description
        self.apiError = apiError
    }

    /// The input broke a rule of the contract (empty message, bad channel name…).
    static func invalid(_ reason: String) -> SessionError { SessionError(.invalid, reason) }
    /// No channel with that id is in our list.
    static func unknownChannel(_ id: String) -> SessionError {
        SessionError(.unknownChannel, "channel \(id) is not one of yours; join it first")
    }
    /// No such thing (user, channel name, message).
    static func notFound(_ what: String) -> SessionError { SessionError(.notFound, what) }
    /// The intent needs the WebSocket, which is down.
    static let notConnected = SessionError(.notConnected, "not connected to the server; try again once reconnected")
    /// The server did not answer in time.
    static func timedOut(_ what: String) -> SessionError { SessionError(.timedOut, what) }
    /// The REST call failed.
    static func server(_ error: APIError) -> SessionError { SessionError(.server, error.description, apiError: error) }

    /// Whether the input itself was wrong (nothing was sent).
    public var isInvalidInput: Bool { kind == .invalid }
    /// Whether the thing asked for does not exist.
    public var isNotFound: Bool { kind == .notFound || kind == .unknownChannel || apiError?.kind == .notFound }
    /// Whether the WebSocket was down.
    public var isNotConnected: Bool { kind == .notConnected }
}
