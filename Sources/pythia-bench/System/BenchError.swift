/// Why a benchmark could not run, worded for the person at the terminal.
struct BenchError: Error, CustomStringConvertible, Sendable {
    private enum Reason: Sendable {
        case connectionRefused(path: String, refusal: Refusal)
        case childFailed(String)
        case targetFailed(String)
    }

    /// How a WebSocket that connected did not open.
    enum Refusal: String, Sendable {
        /// The server answered the upgrade request with something else than 101.
        case upgradeRefused = "upgrade refused"
        /// The connection closed after the upgrade, before the server's first frame.
        case closedBeforeFirstFrame = "closed before its first frame"
    }

    private let reason: Reason

    /// A WebSocket to `path` that connected but did not open.
    static func connectionRefused(path: String, refusal: Refusal) -> Self {
        Self(reason: .connectionRefused(path: path, refusal: refusal))
    }

    /// Why a WebSocket did not open, when that is what this error says.
    var refusal: Refusal? {
        guard case .connectionRefused(_, let refusal) = reason else { return nil }
        return refusal
    }

    /// The `load` child process died or spoke out of turn.
    static func childFailed(_ detail: String) -> Self { Self(reason: .childFailed(detail)) }

    /// The server under test refused a setup step.
    static func targetFailed(_ detail: String) -> Self { Self(reason: .targetFailed(detail)) }

    var description: String {
        switch reason {
        case .connectionRefused(let path, let refusal):
            // Tokens travel in the query: never print them.
            let shown = path.split(separator: "?").first.map(String.init) ?? path
            return "WebSocket connection to \(shown) failed: \(refusal.rawValue). Is the server up, and are its rate limits raised?"
        case .childFailed(let detail):
            return "the load generator process failed: \(detail)"
        case .targetFailed(let detail):
            return "the server under test refused the benchmark's setup: \(detail)"
        }
    }
}
