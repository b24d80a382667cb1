/// Why a REST call failed: what the server said (status, `detail`, `Retry-After`) or why
/// it could not be asked.
public struct APIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of failure.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// 401: the token (or the credentials) were refused.
        public static let unauthorized = Kind("unauthorized")
        /// 403: authenticated but not allowed.
        public static let forbidden = Kind("forbidden")
        /// 404: no such user, channel or message.
        public static let notFound = Kind("not found")
        /// 400, 413 or 422: the request was invalid; `detail` says why.
        public static let validation = Kind("invalid request")
        /// 409: a name is already taken.
        public static let conflict = Kind("conflict")
        /// 429: too many requests; wait `retryAfter`.
        public static let rateLimited = Kind("rate limited")
        /// 5xx: the server failed.
        public static let serverError = Kind("server error")
        /// The server could not be reached, or the connection broke.
        public static let transport = Kind("transport error")
        /// The server's certificate failed verification; `detail` names the host and why.
        public static let untrustedCertificate = Kind("untrusted certificate")
        /// The server answered something that is not the contract.
        public static let invalidResponse = Kind("invalid response")
        /// 404 where every Pythia server answers (a channel list): the URL is something else.
        public static let noPythiaServer = Kind("no Pythia server")
        public var description: String { name }
    }

    /// The class of failure.
    public let kind: Kind
    /// The HTTP status, when the server answered.
    public let status: Int?
    /// The server's `detail`, or what went wrong locally.
    public let detail: String
    /// How long the server asked us to wait (429).
    public let retryAfter: Duration?

    /// Creates an error.
    public init(kind: Kind, status: Int? = nil, detail: String, retryAfter: Duration? = nil) {
        self.kind = kind
        self.status = status
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// The error for a non-success `status` with the server's `detail`.
    static func from(status: Int, detail: String, retryAfter: Duration?) -> APIError {
        let kind: Kind = switch status {
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 409: .conflict
        case 429: .rateLimited
        case 400, 413, 422: .validation
        case 500...: .serverError
        default: .invalidResponse
        }
        return APIError(kind: kind, status: status, detail: detail, retryAfter: retryAfter)
    }

    /// Whether asking again, unchanged, may succeed: transport errors, 5xx and 429.
    public var isTransient: Bool {
        kind == .transport || kind == .serverError || kind == .rateLimited
    }

    public var description: String {
        switch kind {
        case .transport: "cannot reach the server: \(detail)"
        case .untrustedCertificate: "refusing the server: \(detail)"
        case .noPythiaServer: detail
        case .unauthorized: "the server refused the token (\(detail)); run `pythia-chat login` again"
        case .rateLimited:
            "the server is rate limiting us\(retryAfter.map { "; retry in \($0.components.seconds) s" } ?? "")"
        default: "\(kind)\(status.map { " (\($0))" } ?? ""): \(detail)"
        }
    }
}
