import Foundation
import PythiaProtocol

/// The `client-frame` fuzz target: any bytes as a client's text frame.
enum ClientFrameFuzzing {
    /// Parses `input`; a frame it accepts must read back the same from its own `jsonText`.
    static func problems(parsing input: Data) -> [String] {
        guard case .success(let frame) = ClientFrame.parse(input) else { return [] }
        let again = ClientFrame.parse(Data(frame.jsonText.utf8))
        guard again == .success(frame) else {
            return ["\(frame) written as \(frame.jsonText) reads back as \(again)"]
        }
        return []
    }
}
