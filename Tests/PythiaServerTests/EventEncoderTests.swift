import NIOCore
import NIOEmbedded
import NIOWebSocket
@testable import PythiaServer
import Testing

@Suite("Event encoding")
struct EventEncoderTests {
    /// Every length form of the header (7-bit, 16-bit, 64-bit) reads back, through NIO's own
    /// decoder, as one final unmasked text frame with the payload intact.
    @Test(arguments: [0, 125, 126, 65_535, 65_536, 70_000])
    func textFramesDecodeAsWritten(length: Int) throws {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 94 + 33) }
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)))
        try channel.writeInbound(EventEncoder.textFrame(payload))
        let frame = try #require(try channel.readInbound(as: WebSocketFrame.self))
        #expect(frame.fin && frame.opcode == .text && frame.maskKey == nil)
        #expect(Array(frame.unmaskedData.readableBytesView) == payload)
        #expect(try channel.readInbound(as: WebSocketFrame.self) == nil)
        _ = try channel.finish()
    }
}
