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
    static func decode<T: JSONDecodable>(_ type: T.Type, from request: Request) async throws(RESTError) -> T {
        let data = try await collect(request)
        return try decode(type, from: data)
    }

    /// `data` read once by ``JSONReader``, as client frames are.
    static func decode<T: JSONDecodable>(_ type: T.Type, from data: Data) throws(RESTError) -> T {
        do {
            return try PythiaJSON.decode(type, from: data)
        } catch {
            switch error.kind {
            case .missingField(let name): throw .validation("field '\(name)' is required")
            case .invalidField(let name): throw .validation("field '\(name)' has the wrong type")
            default: throw .invalidJSON()
            }
        }
    }
}

/// A JSON response encoded with ``PythiaJSON``.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    jsonResponse(bytes: try PythiaJSON.encode(value), status: status)
}

/// A JSON response written by a ``JSONWriter``: the resources a post answers with and a page
/// of history carries (messages), which the server also sends over WebSockets. (Requiring
/// `Encodable` as well makes this the overload chosen for types that are both.)
func jsonResponse(_ value: some JSONEncodable & Encodable, status: HTTPResponse.Status = .ok) -> Response {
    jsonResponse(bytes: JSONWriter.bytes(of: value, capacity: 512), status: status)
}

private func jsonResponse(bytes: some Sequence<UInt8>, status: HTTPResponse.Status) -> Response {
    Response(
        status: status, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
}
