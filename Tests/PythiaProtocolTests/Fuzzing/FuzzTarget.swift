import Foundation

/// The fuzz targets of `Tests/Fuzz`: each takes any bytes and must return, with no trap and
/// no hang, and with none of its checks failed.
///
/// The libFuzzer build (`Tests/Fuzz/run.sh`) and ``FuzzCorpusReplayTests`` call the same
/// ``run(_:)``, so every input the fuzzer kept is replayed by `swift test`.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// ``JSONReader`` through every type the client reads from the server.
    case jsonReader = "json-reader"
    /// `ClientFrame.parse`, the server's reading of a client's text frame.
    case clientFrame = "client-frame"
    /// Bytes off a client's socket through the server's WebSocket frame path
    /// (``ServerFramePipeline``).
    case serverFrames = "server-frames"

    /// Runs one input; returns what went wrong (empty when nothing did).
    func run(_ input: Data) -> [String] {
        switch self {
        case .jsonReader: JSONReaderFuzzing.problems(decoding: input)
        case .clientFrame: ClientFrameFuzzing.problems(parsing: input)
        case .serverFrames: ServerFramePipeline.problems(feeding: input)
        }
    }
}
