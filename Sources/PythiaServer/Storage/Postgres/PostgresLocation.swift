import Foundation

/// A PostgreSQL database, read from `postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?sslmode=MODE]`
/// (also `postgresql://`). The user, password and database name are percent-decoded.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is encrypted, as libpq's `sslmode`.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, unverified, else plain TCP (libpq's default).
        case prefer
        /// TLS always, the certificate not verified.
        case require
        /// TLS always, the certificate verified against the system's trust store and the host name.
        case verifyFull = "verify-full"
    }

    /// The URL schemes read as PostgreSQL.
    static let schemes: Set<String> = ["postgres", "postgresql"]

    /// The server's host name or address (an IPv6 address without brackets).
    public var host: String
    /// The server's port, 5432 unless the URL says otherwise.
    public var port: Int
    /// The role to log in as.
    public var username: String
    /// The role's password, if the URL has one; never shown in ``description``.
    public var password: String?
    /// The database's name.
    public var database: String
    /// How the connection is encrypted.
    public var tlsMode: TLSMode

    /// Reads `url`.
    /// - Throws: ``DatabaseLocationError`` naming the part that is wrong.
    public init(url: String) throws(DatabaseLocationError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw .malformed("it is not a URL (percent-encode reserved characters in the password, e.g. @ as %40)")
        }
        guard Self.schemes.contains(scheme.lowercased()) else { throw .unsupportedScheme(scheme) }
        guard let host = components.host.map(Self.unbracketed), !host.isEmpty else { throw .malformed("it has no host") }
        guard let username = components.user, !username.isEmpty else { throw .malformed("it has no user (postgres://USER@HOST/DBNAME)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw .malformed("the path must be one database name") }
        if let port = components.port, !(1...65_535).contains(port) { throw .malformed("the port must be from 1 to 65535") }
        var tlsMode = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { throw .unsupportedOption("the option '\(item.name)'") }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw .unsupportedOption("sslmode=\(item.value ?? "")")
            }
            tlsMode = mode
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = username
        self.password = components.password
        self.database = database
        self.tlsMode = tlsMode
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var address: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// The URL without the password, safe to log.
    public var description: String {
        "postgres://\(username)@\(address)/\(database)" + (tlsMode == .prefer ? "" : "?sslmode=\(tlsMode.rawValue)")
    }

    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
