import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Upgrades an HTTP/1 connection to a WebSocket served by a ``ChatSocketHandler`` alone.
///
/// NIO's WebSocket upgrader answers the handshake (the key and version checks,
/// `Sec-WebSocket-Accept`, the `shouldUpgrade` check), but its upgrade adds a frame encoder,
/// decoder and protocol error handler to the pipeline, which the chat handler does itself:
/// here the upgrade is `upgradePipelineHandler` alone, so each idle socket keeps one handler.
struct ChatSocketUpgrader<UpgradeResult: Sendable>: NIOTypedHTTPServerProtocolUpgrader {
    private let handshake: NIOTypedWebSocketServerUpgrader<UpgradeResult>
    private let upgradePipelineHandler: @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<UpgradeResult>

    /// Upgrades the requests `shouldUpgrade` accepts (with the extra response headers it
    /// gives) by `upgradePipelineHandler`, which sets up the WebSocket's pipeline.
    init(
        shouldUpgrade: @escaping @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?>,
        upgradePipelineHandler: @escaping @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<UpgradeResult>
    ) {
        handshake = NIOTypedWebSocketServerUpgrader(shouldUpgrade: shouldUpgrade, upgradePipelineHandler: upgradePipelineHandler)
        self.upgradePipelineHandler = upgradePipelineHandler
    }

    var supportedProtocol: String { handshake.supportedProtocol }

    var requiredUpgradeHeaders: [String] { handshake.requiredUpgradeHeaders }

    func buildUpgradeResponse(
        channel: any Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        handshake.buildUpgradeResponse(
            channel: channel, upgradeRequest: upgradeRequest, initialResponseHeaders: initialResponseHeaders)
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<UpgradeResult> {
        upgradePipelineHandler(channel, upgradeRequest)
    }
}
