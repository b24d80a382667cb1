import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PythiaProtocol

/// A REST failure: the status, and the `{detail, code}` body of `API.md`.
struct RESTError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: ErrorCode
    let detail: String
    var retryAfter: Int?

    static func invalidJSON(_ detail: String = "the body must be a JSON object") -> RESTError {
        RESTError(status: .badRequest, code: .invalidJSON, detail: detail)
    }
    static func unauthorized(_ detail: String = "missing, expired or invalid token") -> RESTError {
        RESTError(status: .unauthorized, code: .unauthorized, detail: detail)
    }
    /// A failed login's detail: the same for an unknown user, a wrong password and a
    /// disabled account, so that none can be told from another.
    static let wrongCredentials = "incorrect username or password"
    static func accessDenied(_ detail: String) -> RESTError {
        RESTError(status: .forbidden, code: .accessDenied, detail: detail)
    }
    static func notFound(_ detail: String) -> RESTError {
        RESTError(status: .notFound, code: .notFound, detail: detail)
    }
    static func conflict(_ detail: String) -> RESTError {
        RESTError(status: .conflict, code: .conflict, detail: detail)
    }
    static let payloadTooLarge = RESTError(
        status: .contentTooLarge, code: .payloadTooLarge, detail: "the body is over 64 KiB")
    static func validation(_ detail: String) -> RESTError {
        RESTError(status: .unprocessableContent, code: .validationError, detail: detail)
    }
    static func rateLimited(retryAfter: Int) -> RESTError {
        RESTError(status: .tooManyRequests, code: .rateLimited,
                 detail: "too many requests; retry in \(retryAfter) s", retryAfter: retryAfter)
    }
    /// `429` after `wait`, in whole seconds (at least 1, at most a day).
    static func rateLimited(after wait: Duration) -> RESTError {
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        let whole = seconds < 86_400 ? Int(seconds.rounded(.up)) : 86_400
        return rateLimited(retryAfter: max(1, whole))
    }
    /// `503`: the database is out of reach for now; clients retry after a few seconds.
    static let databaseUnavailable = RESTError(
        status: .serviceUnavailable, code: .serviceUnavailable,
        detail: "the database is unavailable; retry shortly", retryAfter: 2)
    static let internalError = RESTError(
        status: .internalServerError, code: .internalError, detail: "internal server error")

    /// The same error for a framework `HTTPError` (unknown route, wrong method, …).
    init(_ error: HTTPError) {
        switch error.status {
        case .notFound: self = .notFound("no such resource")
        case .methodNotAllowed: self.init(status: .methodNotAllowed, code: .notFound, detail: "method not allowed")
        case .contentTooLarge: self = .payloadTooLarge
        case .unauthorized: self = .unauthorized()
        case .badRequest: self = .invalidJSON("bad request")
        default:
            self.init(status: error.status, code: .internalError, detail: error.status.reasonPhrase.lowercased())
        }
    }

    init(status: HTTPResponse.Status, code: ErrorCode, detail: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// The JSON response.
    var response: Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let body = (try? PythiaJSON.encode(APIErrorBody(detail: detail, code: code))) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
