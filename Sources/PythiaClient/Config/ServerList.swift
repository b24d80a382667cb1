import PythiaProtocol

/// The servers a client may use, in the order given: one server, or several processes of
/// one deployment (one database, one JWT secret), any of which serves the same account.
///
/// Parsed from `--server` given once or more, each a URL or a comma-separated list of
/// URLs (`--server http://a:8000,http://b:8000`). Each is checked like a single server;
/// one named twice counts once. Its ``description`` is the comma-separated list of the
/// normalised URLs: what `login.json` keeps in its `server` field.
public struct ServerList: Hashable, Sendable, CustomStringConvertible {
    /// The servers in the order to try them; never empty.
    public let endpoints: [ServerEndpoint]

    /// The list of one server.
    public init(_ endpoint: ServerEndpoint) {
        endpoints = [endpoint]
    }

    /// Parses `texts`, each one URL or several separated by commas; https servers'
    /// certificates are verified against `trust`.
    ///
    /// - Throws: ``ServerEndpointError`` naming the first entry that is not a usable server,
    ///   or saying that none was given.
    public init(parsing texts: [String], trust: ServerTrust = .system) throws(ServerEndpointError) {
        var endpoints: [ServerEndpoint] = []
        for text in texts {
            let entries = text.split(separator: ",", omittingEmptySubsequences: false)
            for entry in entries {
                guard entries.count == 1 || !String(entry).trimmingWhitespace.isEmpty else {
                    throw .init("'\(text)' has an empty entry; separate server URLs with single commas")
                }
                let endpoint = try ServerEndpoint(String(entry), trust: trust)
                if !endpoints.contains(endpoint) { endpoints.append(endpoint) }
            }
        }
        guard !endpoints.isEmpty else {
            throw .init("no server given; give a URL such as http://127.0.0.1:8000")
        }
        self.endpoints = endpoints
    }

    /// The server tried first.
    public var first: ServerEndpoint { endpoints[0] }

    /// The servers as the status bar shows them: `host:port`, comma-separated.
    public var label: String { endpoints.map(\.label).joined(separator: ",") }

    public var description: String { endpoints.map(\.description).joined(separator: ",") }
}
