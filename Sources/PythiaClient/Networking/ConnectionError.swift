/// Why a frame could not be sent over the WebSocket.
public struct ConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable { case notConnected, writeFailed }
    private let kind: Kind
    private let reason: String

    /// There is no open connection right now.
    static let notConnected = ConnectionError(kind: .notConnected, reason: "")

    /// Writing the frame failed.
    static func writeFailed(_ reason: String) -> ConnectionError {
        ConnectionError(kind: .writeFailed, reason: reason)
    }

    /// Whether the connection was down.
    public var isNotConnected: Bool { kind == .notConnected }

    public var description: String {
        switch kind {
        case .notConnected: "not connected to the server; it will be tried again when the connection is back"
        case .writeFailed: "the frame could not be sent: \(reason)"
        }
    }
}
