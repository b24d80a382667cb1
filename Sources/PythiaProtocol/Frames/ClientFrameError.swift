import Foundation

/// Why a client frame was refused: the content of the `error` frame the server answers.
public struct ClientFrameError: Error, Hashable, Sendable {
    /// The error code.
    public var code: ErrorCode
    /// A short human-readable message.
    public var message: String
    /// More detail, safe to show the client.
    public var details: String?

    /// Creates a frame error.
    public init(code: ErrorCode, message: String, details: String? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// The `error` event that reports it.
    public var event: ServerEvent {
        .error(ErrorEvent(errorCode: code, message: message, details: details))
    }
}
