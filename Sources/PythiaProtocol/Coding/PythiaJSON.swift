public import Foundation

/// The JSON coders every side of the contract uses: RFC 3339 dates through ``Timestamp``.
///
/// What the server sends (events and resources) is read by ``JSONReader`` (``JSONDecodable``).
/// Every WebSocket frame, and the messages and users of REST answers, are written by
/// ``JSONWriter`` (``JSONEncodable``); everything else by ``makeEncoder()``.
public enum PythiaJSON {
    /// A new encoder that writes dates as `2024-01-07T10:30:00.123Z`.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// A new decoder that reads dates with or without fractional seconds.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an RFC 3339 timestamp")
            }
            return date
        }
        return decoder
    }

    /// Encodes `value` with a fresh ``makeEncoder()``.
    public static func encode(_ value: some Encodable) throws -> Data {
        try makeEncoder().encode(value)
    }

    /// Decodes a `T` that spans all of `data` with a ``JSONReader``.
    public static func decode<T: JSONDecodable>(_ type: T.Type, from data: Data) throws(JSONError) -> T {
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(JSONError) in try JSONReader.decode(type, from: bytes) }
        }
        return try result.get()
    }

    /// Decodes a `T` that spans all of `text` with a ``JSONReader``.
    public static func decode<T: JSONDecodable>(_ type: T.Type, from text: String) throws(JSONError) -> T {
        var text = text
        return try text.withUTF8 { bytes in
            Result { () throws(JSONError) in try JSONReader.decode(type, from: UnsafeRawBufferPointer(bytes)) }
        }.get()
    }

    /// Decodes a `T` from `data` with a fresh ``makeDecoder()``.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try makeDecoder().decode(type, from: data)
    }
}
