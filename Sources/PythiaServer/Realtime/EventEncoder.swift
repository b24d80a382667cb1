import Foundation
import NIOCore
import PythiaProtocol

/// Encodes a server event once, into the bytes every recipient's text frame carries.
enum EventEncoder {
    static func encode(_ event: ServerEvent) -> ByteBuffer {
        do {
            return ByteBuffer(bytes: try PythiaJSON.encode(event))
        } catch {
            // Every event is plain strings, numbers and dates; this cannot fail in practice.
            return ByteBuffer(string: #"{"type":"error","error_code":"internal_error","message":"encoding failed"}"#)
        }
    }
}
