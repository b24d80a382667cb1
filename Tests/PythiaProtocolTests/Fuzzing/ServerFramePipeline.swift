import Foundation
import NIOCore
import NIOEmbedded
import NIOWebSocket
import PythiaProtocol

/// The `server-frames` fuzz target: bytes off a client's socket through the server's inbound
/// WebSocket path, without I/O, on an `EmbeddedChannel`.
///
/// The pipeline is the one `WebSocketUpgrade.swift` builds after the upgrade, up to the chat
/// handler: NIO's frame encoder, decoder (`maxFrameSize` = `Limits.maxPayloadBytes`) and
/// protocol error handler, as `NIOTypedWebSocketServerUpgrader` adds them, then the frame
/// aggregator with the server's settings. The chat handler itself (`ChatSocketHandler`) needs
/// the hub and storage, so ``TextFrameReader`` stands in for it and does what it does with a
/// text frame before those: the UTF-8 check, then `ClientFrame.parse`.
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

    /// Feeds `input` through the pipeline, in two reads; returns what the reader found wrong.
    static func problems(feeding input: Data) -> [String] {
        let bytes = input.first.map { $0 & 1 == 1 ? frames(from: input.dropFirst()) : [UInt8](input.dropFirst()) } ?? []
        let channel = EmbeddedChannel()
        let reader = TextFrameReader()
        do {
            try channel.pipeline.syncOperations.addHandlers([
                WebSocketFrameEncoder(),
                ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: Limits.maxPayloadBytes)),
                WebSocketProtocolErrorHandler(),
                NIOWebSocketFrameAggregator(
                    minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 4096,
                    maxAccumulatedFrameSize: Limits.maxPayloadBytes),
                reader,
            ])
            // Active, as a socket is once the server serves it.
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        } catch {
            return ["pipeline setup failed: \(error)"]
        }
        // Two reads, split where the input says, so that frames also arrive in pieces.
        let split = bytes.isEmpty ? 0 : Int(input.last ?? 0) % (bytes.count + 1)
        for part in [bytes[..<split], bytes[split...]] where channel.isActive {
            // A protocol error closes the channel and is reported here: that is the server's
            // answer to a bad peer, not a failure.
            _ = try? channel.writeInbound(ByteBuffer(bytes: part))
        }
        // Accepting an earlier close lets the loop run the handlers' removal, which breaks the
        // pipeline's reference cycles (plain `finish()` throws first and leaks the channel).
        _ = try? channel.finish(acceptAlreadyClosed: true)
        return reader.problems
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

/// Stands in for `ChatSocketHandler` at the end of the fuzzed pipeline: reads each text frame
/// as the server does before the hub and storage, and closes on an error as the server does.
final class TextFrameReader: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame

    /// What went wrong with the frames read.
    private(set) var problems: [String] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard frame.opcode == .text else { return }
        let text = frame.unmaskedData
        // Not UTF-8: the server closes with 1007 without parsing.
        guard String(validating: text.readableBytesView, as: UTF8.self) != nil else { return }
        problems += ClientFrameFuzzing.problems(parsing: Data(text.readableBytesView))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
