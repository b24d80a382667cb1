import Foundation
import PythiaProtocol

/// The `json-reader` fuzz target: any bytes decoded as each type the client reads from the
/// server (every event, the REST resources and error bodies), as `Data` and, when they are
/// UTF-8, as a `String` — the two ways the client hands the reader its input.
enum JSONReaderFuzzing {
    /// Decodes `input` every way; an error must point inside the input.
    static func problems(decoding input: Data) -> [String] {
        let text = String(validating: input, as: UTF8.self)
        var problems: [String] = []
        func decode<T: JSONDecodable>(_ type: T.Type) {
            var errors: [JSONError] = []
            do throws(JSONError) { _ = try PythiaJSON.decode(type, from: input) } catch { errors.append(error) }
            if let text {
                do throws(JSONError) { _ = try PythiaJSON.decode(type, from: text) } catch { errors.append(error) }
            }
            for error in errors where error.offset < 0 || error.offset > input.count {
                problems.append("\(type): error offset outside the \(input.count) input bytes: \(error)")
            }
        }
        decode(ServerEvent.self)
        decode([Message].self)
        decode([Channel].self)
        decode([Member].self)
        decode([User].self)
        decode(TokenResponse.self)
        decode(APIErrorBody.self)
        decode(ReactionResponse.self)
        decode(HealthStatus.self)
        return problems
    }
}
