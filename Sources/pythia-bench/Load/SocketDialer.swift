import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Opens bench WebSocket connections straight on SwiftNIO (HTTP/1.1 upgrade, then
/// ``DeliveryHandler``).
struct SocketDialer: Sendable {
    let group: any EventLoopGroup
    let host: String
    let port: Int
    let recorder: DeliveryRecorder
    let greeting: LoadPlan.Greeting
    /// Local addresses to connect from, in turn; nil lets the system choose.
    var sources: SourceAddressPool? = nil

    private enum Upgrade: Sendable {
        case upgraded(any Channel, EventLoopFuture<Void>)
        case refused(any Channel)
    }

    /// Connects to `path` on `port` (the dialer's when nil) and returns the channel once it
    /// counts as open.
    func open(path: String, port: Int? = nil) async throws -> any Channel {
        let port = port ?? self.port
        var bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        if let source = sources?.take() {
            bootstrap = bootstrap.channelOption(SourceAddressPool.bindAddressNoPort, value: 1).bind(to: source)
        }
        let upgrade = try await bootstrap
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configure(channel: channel, path: path, port: port)
                }
            }
        switch try await upgrade.get() {
        case .upgraded(let channel, let opened):
            // A server that upgrades but never greets must not hang the run.
            let timeout = channel.eventLoop.scheduleTask(in: .seconds(30)) { channel.close(promise: nil) }
            defer { timeout.cancel() }
            do {
                try await opened.get()
            } catch {
                channel.close(promise: nil)
                throw BenchError.connectionRefused(path: path, refusal: .closedBeforeFirstFrame)
            }
            return channel
        case .refused(let channel):
            channel.close(promise: nil)
            throw BenchError.connectionRefused(path: path, refusal: .upgradeRefused)
        }
    }

    private func configure(channel: any Channel, path: String, port: Int) throws -> EventLoopFuture<Upgrade> {
        let recorder = recorder
        let opensOnFirstFrame = greeting == .firstFrame
        let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: 1 << 16) { channel, _ in
            channel.eventLoop.makeCompletedFuture {
                let opened = channel.eventLoop.makePromise(of: Void.self)
                let handler = DeliveryHandler(recorder: recorder, opened: opened, opensOnFirstFrame: opensOnFirstFrame)
                try channel.pipeline.syncOperations.addHandler(handler)
                return .upgraded(channel, opened.futureResult)
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
            upgradeRequestHead: head,
            upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeSucceededFuture(.refused(channel))
            }
        )
        // The server may write its first frame in the same packet as the 101: keep those bytes.
        var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: configuration)
        pipeline.leftOverBytesStrategy = .forwardBytes
        return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: pipeline)
    }
}
