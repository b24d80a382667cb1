/// An object key as ``JSONReader/nextKey()`` returns it, matched against literals without
/// making a `String`: `switch key { case "id": … }`.
///
/// Borrows the reader's input: valid until the reader moves on.
public struct JSONKey {
    private let raw: UnsafeBufferPointer<UInt8>
    private let decoded: String?

    init(raw: UnsafeBufferPointer<UInt8>) {
        self.raw = raw
        self.decoded = nil
    }

    /// A key that had escapes, resolved.
    init(decoded: String) {
        self.raw = UnsafeBufferPointer(start: nil, count: 0)
        self.decoded = decoded
    }

    /// Whether `key` is exactly `pattern`.
    public static func ~= (pattern: StaticString, key: JSONKey) -> Bool {
        let expected = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        if let decoded = key.decoded { return decoded.utf8.elementsEqual(expected) }
        guard key.raw.count == expected.count else { return false }
        for index in 0..<expected.count where key.raw[index] != expected[index] { return false }
        return true
    }
}
