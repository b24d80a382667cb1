import NIOCore
import NIOWebSocket

/// Fails a WebSocket on a client frame that RFC 6455 forbids and NIO's decoder lets through:
/// one without a mask (§5.1), with reserved bits set (§5.2: no extension is negotiated) or
/// with a reserved opcode (§5.2). It sits before the frame aggregator, which forgets masks
/// and reserved bits; ``ChatSocketHandler`` hears of a violation as ``Violation`` and closes
/// with 1002. Frames after one are dropped.
final class ClientFrameCheck: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    /// A client frame the protocol forbids.
    enum Violation: Error, Equatable {
        case unmasked
        case reservedBits
        case reservedOpcode
    }

    private var failed = false

    /// A check for one socket.
    init() {}

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let frame = unwrapInboundIn(data)
        if let violation = Self.violation(in: frame) {
            failed = true
            context.fireErrorCaught(violation)
        } else {
            context.fireChannelRead(data)
        }
    }

    private static func violation(in frame: WebSocketFrame) -> Violation? {
        if frame.maskKey == nil { return .unmasked }
        if !frame.reservedBits.isEmpty { return .reservedBits }
        switch frame.opcode {
        case .continuation, .text, .binary, .connectionClose, .ping, .pong: return nil
        default: return .reservedOpcode
        }
    }
}

@available(*, unavailable)
extension ClientFrameCheck: Sendable {}
