import Foundation
import Hummingbird
import NIOCore
import PythiaProtocol

/// Reads request bodies with the contract's limits and error codes.
enum RequestBody {
    /// The body, at most 64 KiB (else `413`).
    static func collect(_ request: Request) async throws(RESTError) -> Data {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: Limits.maxPayloadBytes)
            return Data(buffer.readableBytesView)
        } catch {
            throw .payloadTooLarge
        }
    }

    /// A JSON object body decoded as `T`: `400` when it is not a JSON object, `422` when a
    /// field is missing or of the wrong type.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws(RESTError) -> T {
        let data = try await collect(request)
        return try decode(type, from: data)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(RESTError) -> T {
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else { throw .invalidJSON() }
        do {
            return try PythiaJSON.decode(type, from: data)
        } catch let error as DecodingError {
            throw .validation(describe(error))
        } catch {
            throw .invalidJSON()
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context): return "field '\(path(context.codingPath + [key]))' is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(path(context.codingPath))' has the wrong type"
        case .dataCorrupted(let context): return "field '\(path(context.codingPath))' is invalid"
        @unknown default: return "the body does not match the expected fields"
        }
    }
}

/// A JSON response encoded with ``PythiaJSON``.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try PythiaJSON.encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
