import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Puts TLS in front of another kind of connection (the server's ``WebSocketUpgrade``):
/// everything on the port, HTTP and WebSocket alike, runs inside TLS.
///
/// Like Hummingbird's `TLSChannel`, plus a ``TLSHandshakeFailureHandler`` so that a
/// handshake that fails is a peer gone before its first request, not a failed negotiation.
struct TLSServerChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    private let base: Base
    private let context: NIOSSLContext

    /// Serves `base` inside TLS with `configuration`.
    init(_ base: Base, configuration: TLSConfiguration) throws {
        self.base = base
        self.context = try NIOSSLContext(configuration: configuration)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers([
                NIOSSLServerHandler(context: context), TLSHandshakeFailureHandler(logger: logger),
            ])
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
