import Hummingbird
import PythiaProtocol

/// Query-string values with the contract's `422` for bad ones.
enum QueryValue {
    /// A `limit` in `1...max`, `defaultValue` when absent.
    static func limit(_ text: String?, default defaultValue: Int, max: Int) throws(RESTError) -> Int {
        guard let text else { return defaultValue }
        guard let value = Int(text), (1...max).contains(value) else {
            throw .validation("limit must be an integer from 1 to \(max)")
        }
        return value
    }
}
