/// Why a `--db` value or `PYTHIA_DATABASE_URL` cannot be used. Messages never repeat a password.
public enum DatabaseLocationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `scheme://` that is neither `postgres` nor `postgresql`.
    case unsupportedScheme(String)
    /// The URL cannot be read; the associated value says which part is wrong.
    case malformed(String)
    /// A query option this server does not know, or a value it does not accept.
    case unsupportedOption(String)

    /// What is wrong and what to do, in one line.
    public var description: String {
        switch self {
        case .unsupportedScheme(let scheme):
            "unsupported database URL scheme '\(scheme)://'; use postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME, or a file path for SQLite"
        case .malformed(let problem):
            "the database URL is malformed: \(problem); use postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME"
        case .unsupportedOption(let problem):
            "the database URL has \(problem); the only option is sslmode=disable, prefer, require or verify-full"
        }
    }
}
