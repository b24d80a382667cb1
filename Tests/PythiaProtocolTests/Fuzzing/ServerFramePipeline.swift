import Foundation
import NIOCore
import NIOWebSocket
import PythiaProtocol

#if !PYTHIA_FUZZ
// `Tests/Fuzz/run.sh` compiles the reader's source file into the fuzz binary itself.
@testable import PythiaServer
#endif

/// The `server-frames` fuzz target: bytes off a client's socket through the server's inbound
/// WebSocket path, without I/O.
///
/// That path is the ``ClientMessageReader`` of the socket's `ChatSocketHandler`, with the
/// server's limits (frames and messages of `Limits.maxPayloadBytes`). The handler itself needs
/// the hub and storage, so this does what it does with a text message before those: the UTF-8
/// check, then `ClientFrame.parse`; a failure ends the socket, as it does on the server.
///
/// An input is either raw socket bytes (first byte even) or, so that the fuzzer reaches the
/// parser through valid masked frames, frames in wire format whose masking the harness does
/// (first byte odd): each frame is written as its first two header bytes and its extended
/// length as on the wire, then its payload in clear; a clear MASK bit asks for a masked frame
/// (key ``maskKey``), a set one for an unmasked frame, which the server must refuse. A length
/// past the input's end sends the bytes there are: a frame cut short.
enum ServerFramePipeline {
    /// The key every harness-masked frame uses.
    static let maskKey: WebSocketMaskingKey = [0x37, 0xFA, 0x21, 0x3D]

    /// Feeds `input` through the reader, in two reads; returns what was found wrong.
    static func problems(feeding input: Data) -> [String] {
        let bytes = input.first.map { $0 & 1 == 1 ? frames(from: input.dropFirst()) : [UInt8](input.dropFirst()) } ?? []
        var reader = ClientMessageReader()
        var problems: [String] = []
        // Two reads, split where the input says, so that frames also arrive in pieces.
        let split = bytes.isEmpty ? 0 : Int(input.last ?? 0) % (bytes.count + 1)
        for part in [bytes[..<split], bytes[split...]] {
            reader.append(ByteBuffer(bytes: part))
            do {
                while let message = try reader.next() {
                    guard case .text(let text) = message else { continue }
                    if text.readableBytes > Limits.maxPayloadBytes {
                        problems.append("a text message of \(text.readableBytes) bytes got through")
                    }
                    // Not UTF-8: the server closes with 1007 without parsing.
                    guard String(validating: text.readableBytesView, as: UTF8.self) != nil else { return problems }
                    problems += ClientFrameFuzzing.problems(parsing: Data(text.readableBytesView))
                }
            } catch {
                // A protocol error closes the socket: the server's answer to a bad peer, not a
                // failure.
                return problems
            }
        }
        return problems
    }

    /// Wire bytes for the frames `spec` describes (see the type's documentation).
    static func frames(from spec: Data) -> [UInt8] {
        var input = spec.makeIterator()
        var wire: [UInt8] = []
        while let first = input.next(), let second = input.next() {
            let masked = second & 0x80 == 0
            wire.append(first)
            wire.append(masked ? second | 0x80 : second)
            var length = UInt64(second & 0x7F)
            let extendedBytes = length == 126 ? 2 : length == 127 ? 8 : 0
            if extendedBytes > 0 { length = 0 }
            for _ in 0..<extendedBytes {
                let byte = input.next() ?? 0
                wire.append(byte)
                length = length << 8 | UInt64(byte)
            }
            if masked { wire.append(contentsOf: maskKey) }
            var index = 0
            while UInt64(index) < length, let byte = input.next() {
                wire.append(masked ? byte ^ maskKey[index % 4] : byte)
                index += 1
            }
        }
        return wire
    }
}
