extension JSONReader {
    /// Reads an object member's value as a `T`; a value of another kind is reported as
    /// ``JSONError/Kind/invalidField(_:)`` naming the field, so a request can say which one.
    public mutating func readField<T: JSONDecodable>(_ type: T.Type, named name: String) throws(JSONError) -> T {
        let start = offset
        do {
            return try read(type)
        } catch {
            switch error.kind {
            case .typeMismatch, .notAnInteger, .invalidTimestamp: throw JSONError(.invalidField(name), at: start)
            default: throw error
            }
        }
    }

    /// Reads an object member's value as a `T`, or `nil` for `null`; see ``readField(_:named:)``.
    public mutating func readFieldIfPresent<T: JSONDecodable>(_ type: T.Type, named name: String) throws(JSONError) -> T? {
        try readNull() ? nil : readField(type, named: name)
    }

    /// Reads an object member's value as a `T` when it is one; skips any other value and
    /// returns `nil`. For readers that treat a field of the wrong kind as absent.
    public mutating func readIfKind<T: JSONDecodable>(_ type: T.Type) throws(JSONError) -> T? {
        let start = offset
        do {
            return try read(type)
        } catch {
            guard case .typeMismatch = error.kind else { throw error }
            offset = start
            try skipValue()
            return nil
        }
    }
}
