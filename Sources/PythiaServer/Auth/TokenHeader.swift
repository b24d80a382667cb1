import PythiaProtocol

/// The part of a JWT's header that is checked before its signature: the algorithm.
struct TokenHeader: JSONDecodable {
    /// `alg`, when the header has one as a string.
    let algorithm: String?

    init(json reader: inout JSONReader) throws(JSONError) {
        var algorithm: String?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "alg": algorithm = try reader.readIfKind(String.self)
            default: try reader.skipValue()
            }
        }
        self.algorithm = algorithm
    }

    /// The header in `part`, a JWT's first part, or `nil` when that is not a JSON object in
    /// base64url.
    init?(part: some Collection<UInt8>) {
        guard let bytes = Base64URL.decode(utf8: part),
              let header = bytes.withUnsafeBytes({ try? JSONReader.decode(TokenHeader.self, from: $0) })
        else { return nil }
        self = header
    }
}
