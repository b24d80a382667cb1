/// How a headless command (`send`, `tail`) ends when it fails: a sentence for standard
/// error and an exit status a script can test (see `pythia-chat send --help`).
public struct HeadlessFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The process's exit status.
    public let status: Int32
    /// What went wrong and what to do; may quote the server, so print it sanitised.
    public let description: String

    /// Bad usage (options, server URL, empty text): 64.
    public static func usage(_ message: String) -> HeadlessFailure { HeadlessFailure(status: 64, description: message) }
    /// No such channel among the user's: 2.
    public static func notFound(_ message: String) -> HeadlessFailure { HeadlessFailure(status: 2, description: message) }
    /// The server refused the token: 3.
    public static func unauthorized(_ message: String) -> HeadlessFailure { HeadlessFailure(status: 3, description: message) }
    /// The server's certificate failed verification, or the URL is not a Pythia server:
    /// 4, reported at once (waiting would not change it).
    public static func refused(_ message: String) -> HeadlessFailure { HeadlessFailure(status: 4, description: message) }
    /// The server could not be reached in the time given: 75 (`EX_TEMPFAIL`), worth
    /// trying again later.
    public static func unreachable(_ message: String) -> HeadlessFailure { HeadlessFailure(status: 75, description: message) }

    private init(status: Int32, description: String) {
        self.status = status
        self.description = description
    }

    /// The status for a REST failure.
    public init(_ error: APIError) {
        switch error.kind {
        case .unauthorized: status = 3
        case .notFound: status = 2
        case .transport, .serverError, .rateLimited: status = 75
        case .untrustedCertificate, .noPythiaServer: status = 4
        default: status = 5
        }
        description = error.description
    }
}
