import PythiaProtocol
public import Foundation

/// A Pythia server's two addresses: the REST base and the WebSocket URL.
///
/// Parsed from what a user types: `http://host:port`, `https://…`, `ws://…`, `wss://…`
/// or a bare `host:port` (plain HTTP). A path prefix (a server behind a reverse proxy at
/// `/chat`) is kept for both.
public struct ServerEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// `http://host:port[/prefix]`, without a trailing slash: REST paths are appended to it.
    public let baseURL: URL
    /// Whether the connection is encrypted (https/wss).
    public let isSecure: Bool
    /// The authorities an https/wss server's certificate must chain to.
    public let trust: ServerTrust

    /// Parses `text`; an https/wss server's certificate is verified against `trust`.
    ///
    /// - Throws: ``ServerEndpointError`` saying what is wrong with it.
    public init(_ text: String, trust: ServerTrust = .system) throws(ServerEndpointError) {
        self.trust = trust
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { throw .init("the server address is empty; give a URL such as http://127.0.0.1:8000") }
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard var components = URLComponents(string: withScheme) else {
            throw .init("'\(text)' is not a URL; give one such as http://127.0.0.1:8000")
        }
        let scheme = components.scheme?.lowercased() ?? ""
        switch scheme {
        case "http", "ws": isSecure = false
        case "https", "wss": isSecure = true
        default:
            throw .init("'\(text)' has the scheme '\(scheme)'; use http, https, ws or wss")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .init("'\(text)' names no host; give one such as http://127.0.0.1:8000")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw .init("'\(text)' has the port \(port); ports go from 1 to 65535")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            throw .init("'\(text)' has a query, fragment or user name; give only scheme, host, port and path")
        }
        components.scheme = isSecure ? "https" : "http"
        components.host = host
        var path = components.path
        // The user may paste the WebSocket or API URL itself.
        while path.hasSuffix("/") { path.removeLast() }
        for suffix in ["/ws", "/api/v1"] where path.hasSuffix(suffix) { path.removeLast(suffix.count) }
        while path.hasSuffix("/") { path.removeLast() }
        components.path = path
        guard let url = components.url else { throw .init("'\(text)' is not a URL; give one such as http://127.0.0.1:8000") }
        baseURL = url
    }

    /// The URL of a REST path such as `/api/v1/auth/me`, with `query` items.
    public func restURL(_ path: String, query: [URLQueryItem] = []) -> URL {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        components.path += path
        if !query.isEmpty {
            components.queryItems = query
            // `+` is a space to many servers' form decoding; a token or search may contain one.
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        }
        return components.url!
    }

    /// The WebSocket URL with `token` in the query.
    public func webSocketURL(token: String) -> URL {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        components.scheme = isSecure ? "wss" : "ws"
        components.path += "/ws"
        components.queryItems = [URLQueryItem(name: "token", value: token)]
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    /// `host:port` as dialled, for messages about the connection itself.
    var hostAndPort: String {
        let host = baseURL.host ?? ""
        return "\(host.contains(":") ? "[\(host)]" : host):\(baseURL.port ?? (isSecure ? 443 : 80))"
    }

    /// `host:port` as the status bar shows it: the port only when the URL names one.
    public var label: String {
        [baseURL.host, baseURL.port.map(String.init)].compactMap { $0 }.joined(separator: ":")
    }

    public var description: String { baseURL.absoluteString }
}
