/// The body of every REST error: `{"detail": …, "code": …}`.
public struct APIErrorBody: Encodable, Hashable, Sendable, Error {
    /// A human-readable explanation.
    public var detail: String
    /// The machine-readable code.
    public var code: ErrorCode

    /// Creates an error body.
    public init(detail: String, code: ErrorCode) {
        self.detail = detail
        self.code = code
    }

    enum CodingKeys: String, CodingKey { case detail, code }
}

extension APIErrorBody: JSONDecodable {
    /// Reads an error body; a `detail` that is not a string (FastAPI-style servers send a list
    /// of validation problems) becomes a generic explanation, a missing `code` an empty one.
    public init(json reader: inout JSONReader) throws(JSONError) {
        try reader.beginObject()
        var detail: String?, code: String?
        while let key = try reader.nextKey() {
            switch key {
            case "detail":
                reader.skipWhitespace()
                if reader.peek() == UInt8(ascii: "\"") {
                    detail = try reader.read(String.self)
                } else {
                    try reader.skipValue()
                }
            case "code": code = try reader.readIfPresent(String.self)
            default: try reader.skipValue()
            }
        }
        self.init(detail: detail ?? "the server rejected the request", code: ErrorCode(rawValue: code ?? ""))
    }
}
