/// Why the server could not start: each message says what is wrong and what to do.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    private enum Reason: Sendable {
        case secretTooShort(String)
        case secretNotWritable(String)
        case databaseUnavailable(path: String, reason: String)
        case bindFailed(address: String, reason: String)
        case tlsUnusable(String)
        case notRunning
    }

    private let reason: Reason

    static func secretTooShort(_ source: String) -> ServerError { .init(reason: .secretTooShort(source)) }
    static func secretNotWritable(_ path: String) -> ServerError { .init(reason: .secretNotWritable(path)) }
    static func databaseUnavailable(path: String, reason: String) -> ServerError {
        .init(reason: .databaseUnavailable(path: path, reason: reason))
    }
    static func bindFailed(address: String, reason: String) -> ServerError {
        .init(reason: .bindFailed(address: address, reason: reason))
    }
    static func tlsUnusable(_ problem: String) -> ServerError { .init(reason: .tlsUnusable(problem)) }
    static let notRunning = ServerError(reason: .notRunning)

    /// What went wrong, in one line.
    public var description: String {
        switch reason {
        case .secretTooShort(let source):
            "\(source) is shorter than \(SecretStore.minimumBytes) bytes; use a longer random secret"
        case .secretNotWritable(let path):
            "cannot create the JWT secret file \(path); make its directory writable or set PYTHIA_JWT_SECRET"
        case .databaseUnavailable(let path, let reason):
            "cannot open the database \(path): \(reason)"
        case .bindFailed(let address, let reason):
            "cannot listen on \(address): \(reason)"
        case .tlsUnusable(let problem):
            "cannot serve TLS: \(problem)"
        case .notRunning:
            "the server is not running"
        }
    }
}
