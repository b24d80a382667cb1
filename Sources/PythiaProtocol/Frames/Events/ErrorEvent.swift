import Foundation

/// `error`: why a client frame was refused. The connection stays open.
public struct ErrorEvent: Hashable, Sendable {
    /// The error code.
    public var errorCode: ErrorCode
    /// A short human-readable message.
    public var message: String
    /// More detail, when there is any.
    public var details: String?

    /// Creates the event.
    public init(errorCode: ErrorCode, message: String, details: String? = nil) {
        self.errorCode = errorCode
        self.message = message
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case message, details
        case errorCode = "error_code"
    }
}

extension ErrorEvent: JSONDecodable {
    /// Reads `error`; every field may be absent (`internal_error`, an empty message).
    public init(json reader: inout JSONReader) throws(JSONError) {
        try reader.beginObject()
        var errorCode: String?, message: String?, details: String?
        while let key = try reader.nextKey() {
            switch key {
            case "error_code": errorCode = try reader.readIfPresent(String.self)
            case "message": message = try reader.readIfPresent(String.self)
            case "details": details = try reader.readIfPresent(String.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            errorCode: ErrorCode(rawValue: errorCode ?? "internal_error"),
            message: message ?? "",
            details: details)
    }
}

extension ErrorEvent: JSONObjectEncodable {
    /// Writes the members, named by `CodingKeys`.
    public func writeMembers(json writer: inout JSONWriter) {
        writer.write(errorCode, for: CodingKeys.errorCode)
        writer.write(message, for: CodingKeys.message)
        writer.write(details, for: CodingKeys.details)
    }
}
