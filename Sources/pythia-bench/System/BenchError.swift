/// Why a benchmark could not run, worded for the person at the terminal.
struct BenchError: Error, CustomStringConvertible, Sendable {
    private enum Reason: Sendable {
        case connectionRefused(path: String, detail: String)
        case childFailed(String)
        case targetFailed(String)
    }

    private let reason: Reason

    static func connectionRefused(path: String, detail: String) -> Self {
        Self(reason: .connectionRefused(path: path, detail: detail))
    }

    /// The `load` child process died or spoke out of turn.
    static func childFailed(_ detail: String) -> Self { Self(reason: .childFailed(detail)) }

    /// The server under test refused a setup step.
    static func targetFailed(_ detail: String) -> Self { Self(reason: .targetFailed(detail)) }

    var description: String {
        switch reason {
        case .connectionRefused(let path, let detail):
            // Tokens travel in the query: never print them.
            let shown = path.split(separator: "?").first.map(String.init) ?? path
            return "WebSocket connection to \(shown) failed: \(detail). Is the server up, and are its rate limits raised?"
        case .childFailed(let detail):
            return "the load generator process failed: \(detail)"
        case .targetFailed(let detail):
            return "the server under test refused the benchmark's setup: \(detail)"
        }
    }
}
