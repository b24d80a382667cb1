public import Foundation

/// Where the server keeps its data: one SQLite file, or a PostgreSQL database that several
/// server processes may share (API.md, "Several server processes").
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite database file; its directory must exist and be writable.
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresLocation)

    /// The environment variable that names the database when `--db` is not given.
    public static let environmentKey = "PYTHIA_DATABASE_URL"

    /// Reads a `--db` value: a `postgres://` or `postgresql://` URL, else a file path. Any
    /// other `scheme://` is refused rather than taken for a file named like a URL.
    public static func parse(_ text: String) throws(DatabaseLocationError) -> DatabaseLocation {
        guard let schemeEnd = text.range(of: "://") else { return .sqlite(path: text) }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard PostgresLocation.schemes.contains(scheme) else {
            throw .unsupportedScheme(String(text[..<schemeEnd.lowerBound]))
        }
        return .postgres(try PostgresLocation(url: text))
    }

    /// The location `--db` names, else `PYTHIA_DATABASE_URL`, else the default SQLite file.
    public static func resolve(
        flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DatabaseLocationError) -> DatabaseLocation {
        if let flag { return try parse(flag) }
        if let url = environment[environmentKey], !url.isEmpty { return try parse(url) }
        return .sqlite(path: ServerConfiguration.defaultDatabasePath)
    }

    /// The path, or the URL without its password: safe to log and show.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}
