/// Why the server could not start: each message says what is wrong and what to do.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    private enum Reason: Sendable {
        case secretTooShort(String)
        case secretRequired
        case secretNotWritable(path: String, reason: String)
        case secretUnreadable(path: String, reason: String)
        case secretForeignOwner(path: String, owner: UInt32, user: UInt32)
        case secretExposed(path: String, mode: UInt32)
        case databaseUnavailable(path: String, reason: String)
        case bindFailed(address: String, reason: String)
        case tlsUnusable(String)
    }

    private let reason: Reason

    static func secretTooShort(_ source: String) -> ServerError { .init(reason: .secretTooShort(source)) }
    static let secretRequired = ServerError(reason: .secretRequired)
    static func secretNotWritable(_ path: String, _ reason: String) -> ServerError {
        .init(reason: .secretNotWritable(path: path, reason: reason))
    }
    static func secretUnreadable(_ path: String, _ reason: String) -> ServerError {
        .init(reason: .secretUnreadable(path: path, reason: reason))
    }
    static func secretForeignOwner(_ path: String, owner: UInt32, user: UInt32) -> ServerError {
        .init(reason: .secretForeignOwner(path: path, owner: owner, user: user))
    }
    static func secretExposed(_ path: String, mode: UInt32) -> ServerError { .init(reason: .secretExposed(path: path, mode: mode)) }
    static func databaseUnavailable(path: String, reason: String) -> ServerError {
        .init(reason: .databaseUnavailable(path: path, reason: reason))
    }
    static func bindFailed(address: String, reason: String) -> ServerError {
        .init(reason: .bindFailed(address: address, reason: reason))
    }
    static func tlsUnusable(_ problem: String) -> ServerError { .init(reason: .tlsUnusable(problem)) }

    /// What went wrong, in one line.
    public var description: String {
        switch reason {
        case .secretTooShort(let source):
            "\(source) is shorter than \(SecretStore.minimumBytes) bytes; use a longer random secret"
        case .secretRequired:
            "PostgreSQL storage needs PYTHIA_JWT_SECRET (at least \(SecretStore.minimumBytes) bytes), the same for every server process on the database; set it and start again"
        case .secretNotWritable(let path, let reason):
            "cannot create the JWT secret file \(path) (\(reason)); make its directory writable or set PYTHIA_JWT_SECRET"
        case .secretUnreadable(let path, let reason):
            "cannot read the JWT secret file \(path): \(reason); repair it or set PYTHIA_JWT_SECRET (deleting it makes a new secret and logs every user out)"
        case .secretForeignOwner(let path, let owner, let user):
            "the JWT secret file \(path) belongs to uid \(owner), not to this server's uid \(user), and chooses the key tokens are signed with; delete it, or if you trust it run `chown \(user) \(path)`"
        case .secretExposed(let path, let mode):
            "the JWT secret file \(path) has mode \(String(mode, radix: 8)): other accounts may read or replace it; run `chmod 600 \(path)` (and delete it instead if it may have been read: a new secret logs every user out)"
        case .databaseUnavailable(let path, let reason):
            "cannot open the database \(path): \(reason)"
        case .bindFailed(let address, let reason):
            "cannot listen on \(address): \(reason)"
        case .tlsUnusable(let problem):
            "cannot serve TLS: \(problem)"
        }
    }
}
