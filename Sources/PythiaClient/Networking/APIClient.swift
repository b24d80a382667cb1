public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PythiaProtocol

/// The REST API of `API.md`, one method per endpoint, every failure an ``APIError``.
public struct APIClient: Sendable {
    /// Where the server is.
    public private(set) var endpoint: ServerEndpoint
    /// The bearer token, when calls are authenticated.
    public var token: String?
    private let http: HTTPClient
    private let timeout: TimeAmount
    private let logger: Logger

    /// Creates a client for `endpoint`, sending `token` as `Authorization: Bearer`; `http`
    /// defaults to a shared client that reports a connection it cannot make at once.
    public init(
        endpoint: ServerEndpoint, token: String?, http: HTTPClient? = nil,
        timeout: Duration = .seconds(15), logger: Logger = Logger(label: "pythia.client.api")
    ) {
        self.endpoint = endpoint
        self.token = token
        self.http = http ?? Self.failFastHTTP
        // Any Duration: one past Int64 nanoseconds (292 years) is the longest.
        let (whole, overflow) = timeout.components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (nanoseconds, carry) = whole.addingReportingOverflow(timeout.components.attoseconds / 1_000_000_000)
        self.timeout = .nanoseconds(overflow || carry ? (timeout < .zero ? .min : .max) : nanoseconds)
        self.logger = logger
    }

    /// The same client (token, timeout, HTTP client) calling `endpoint` instead.
    public func using(_ endpoint: ServerEndpoint) -> APIClient {
        var moved = self
        moved.endpoint = endpoint
        return moved
    }

    /// Sends one request and returns the raw body of a 2xx answer.
    func call(
        _ method: HTTPMethod, _ path: String, query: [URLQueryItem] = [], body: (any Encodable & Sendable)? = nil
    ) async throws(APIError) -> Data {
        var request = HTTPClientRequest(url: endpoint.restURL(path, query: query).absoluteString)
        if endpoint.isSecure { request.tlsConfiguration = endpoint.trust.clientConfiguration }
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            let data: Data
            do { data = try PythiaJSON.encode(body) } catch {
                throw APIError(kind: .validation, detail: "cannot encode the request: \(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        let status: Int
        let headers: HTTPHeaders
        let bytes: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: timeout, logger: logger)
            status = Int(response.status.code)
            headers = response.headers
            bytes = try await response.body.collect(upTo: 8 * Limits.maxPayloadBytes)
        } catch {
            if let rejection = await CertificateRejection.explain(error, endpoint: endpoint) {
                throw APIError(kind: .untrustedCertificate, detail: rejection)
            }
            throw APIError(kind: .transport, detail: describe(error))
        }
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(status) else {
            let detail = (try? PythiaJSON.decode(APIErrorBody.self, from: data).detail)
                ?? HTTPResponseStatus(statusCode: status).reasonPhrase
            let retryAfter = headers.first(name: "Retry-After").flatMap(RetryAfter.delay(from:))
            throw APIError.from(status: status, detail: detail, retryAfter: retryAfter)
        }
        return data
    }

    /// Sends one request and decodes the 2xx answer as `T`.
    func call<T: JSONDecodable>(
        _ method: HTTPMethod, _ path: String, query: [URLQueryItem] = [], body: (any Encodable & Sendable)? = nil,
        as type: T.Type
    ) async throws(APIError) -> T {
        let data = try await call(method, path, query: query, body: body)
        do {
            return try PythiaJSON.decode(T.self, from: data)
        } catch {
            throw APIError(kind: .invalidResponse, detail: "\(method) \(path) answered JSON that is not a \(T.self): \(error)")
        }
    }

    /// A client that fails a request as soon as its connection cannot be made. The shared
    /// client retries a failed connection until the request's timeout, but a refused
    /// certificate never becomes trusted by waiting, and a server that refuses connections
    /// is down: the caller decides when to retry, and where (the next server of a list).
    private static let failFastHTTP: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    private func describe(_ error: any Error) -> String {
        // A TLS server drops a plain request (or answers it with a TLS alert, which is not HTTP).
        let plainToTLS = endpoint.isSecure ? "" : "; if \(endpoint.hostAndPort) serves TLS, use an https:// URL"
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "the request timed out"
            case .remoteConnectionClosed: return "\(endpoint.hostAndPort) closed the connection\(plainToTLS)"
            default: return String(describing: error)
            }
        }
        if error is HTTPParserError { return "\(endpoint.hostAndPort) did not answer HTTP\(plainToTLS)" }
        // NIO's own text for a failed connect reads "connection reset (error set): Connection
        // refused) (errno: 111)"; the system's message says it.
        if let error = error as? IOError { return "\(String(cString: strerror(error.errnoCode)).lowercased()) (\(endpoint.hostAndPort))" }
        if let error = error as? NIOConnectionError {
            if let lookup = (error.dnsAError ?? error.dnsAAAAError) as? SocketAddressError.UnknownHost {
                return "cannot resolve \(lookup.host) (\(lookup.errorDescription.lowercased()))"
            }
            if let first = error.connectionErrors.first?.error { return describe(first) }
        }
        return String(describing: error)
    }
}
