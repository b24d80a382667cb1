import PythiaProtocol

/// Reads a `Retry-After` header given in seconds, whatever number a server sends.
enum RetryAfter {
    /// The longest wait honoured: a longer one, `inf` included, is this.
    static let longest: Duration = .seconds(3600)

    /// The delay of `header`; `nil` when it is not a number (`nan` included; HTTP dates
    /// are not used by the servers this client speaks to).
    static func delay(from header: String) -> Duration? {
        guard let seconds = Double(header.trimmingWhitespace), !seconds.isNaN else { return nil }
        guard seconds > 0 else { return .zero }
        guard seconds < 3600 else { return longest }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}
