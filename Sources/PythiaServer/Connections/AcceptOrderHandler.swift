import NIOCore

/// On the listening socket, ahead of the bootstrap's own acceptor: gives each accepted
/// connection its place in the accept order (``ConnectionLimits/accepted(_:)``) before it is
/// handed to an event loop of its own, where it is admitted.
final class AcceptOrderHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = any Channel

    private let limits: ConnectionLimits

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        limits.accepted(unwrapInboundIn(data))
        context.fireChannelRead(data)
    }
}
