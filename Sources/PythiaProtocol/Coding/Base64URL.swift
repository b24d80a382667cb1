/// The unpadded base64url of RFC 4648 §5, as the three parts of a JWT are written.
///
/// Decoded by table rather than through Foundation's `Data(base64Encoded:)`, which needs the
/// `-`/`_` swapped and the padding restored first: on Linux those string edits cost more than
/// the rest of a token's check.
public enum Base64URL {
    /// The bytes that the text in `utf8` encodes, or `nil` when it holds a character outside
    /// the alphabet, a padding `=`, or a length no encoding has (one more than a multiple of four).
    ///
    /// Inlinable, so that it is specialized for the caller's collection: through the generic
    /// entry point each character cost an indirect call, 48 000 instructions for a token's claims.
    @inlinable
    public static func decode(utf8: some Collection<UInt8>) -> [UInt8]? {
        guard utf8.count % 4 != 1 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for character in utf8 {
            guard let value = sextet(character) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return bytes
    }

    @usableFromInline
    static func sextet(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
