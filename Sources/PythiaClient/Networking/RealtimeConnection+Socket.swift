import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import PythiaProtocol
import Synchronization

extension RealtimeConnection {
    /// How one connection attempt ended.
    struct Outcome: Sendable {
        /// How long it was up after `connection_established`; `nil` if that never came.
        var uptime: Duration?
        /// The handshake was refused or the server closed because of the token.
        var needsCredentialCheck: Bool
        /// What happened, for the debug log.
        var reason: String
        /// Set when retrying cannot help (the server's certificate was refused).
        var failure: ConnectionFailure? = nil
    }

    /// Why the reading side gave up on a connection.
    private struct DeadConnection: Error {}

    /// When the open connection last heard from the server, and when it was established,
    /// as times since the attempt began on the connection's clock.
    final class Liveness: Sendable {
        /// Time on the clock since the attempt began.
        private let elapsed: @Sendable () -> Duration
        /// Sleeps until that much time since the attempt began.
        private let sleeper: @Sendable (Duration) async throws -> Void
        let lastFrameAt = Mutex(Duration.zero)
        let establishedAt = Mutex<Duration?>(nil)

        init(clock: some Clock<Duration>) {
            let start = clock.now
            elapsed = { start.duration(to: clock.now) }
            sleeper = { try await clock.sleep(until: start.advanced(by: $0), tolerance: nil) }
        }

        var now: Duration { elapsed() }
        var uptime: Duration? { establishedAt.withLock { $0.map { elapsed() - $0 } } }

        func sleep(until time: Duration) async throws { try await sleeper(time) }
        func frameArrived() { lastFrameAt.withLock { $0 = elapsed() } }
        func markEstablished() { establishedAt.withLock { $0 = elapsed() } }
    }

    /// One connection, from handshake to close; abandoned when the server has not answered
    /// the handshake within ``Configuration/handshakeTimeout``, or when asked to stop or
    /// reconnect before it did.
    ///
    /// The WebSocket client cannot be cancelled while it waits for the upgrade answer, so a
    /// server that accepts the TCP connection and never answers would otherwise hold the
    /// connection, and ``Session/stop()``, for ever. An abandoned attempt is left to end with
    /// its socket; should the server answer after all, it closes at once.
    func connectOnce(token: String) async -> Outcome {
        let handshake = PendingHandshake()
        pendingHandshake = handshake
        defer { pendingHandshake = nil }
        let attempt = Task { await self.attempt(token: token, handshake: handshake) }
        let timeout = configuration.handshakeTimeout
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            handshake.abandon(because: "no answer to the handshake within \(timeout)")
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await handshake.outcome(of: attempt)
        } onCancel: {
            attempt.cancel()
            handshake.abandon(because: "stopped")
        }
    }

    private func attempt(token: String, handshake: PendingHandshake) async -> Outcome {
        var configuration = WebSocketClientConfiguration(
            maxFrameSize: self.configuration.maxFrameSize, closeTimeout: self.configuration.closeTimeout, validateUTF8: true)
        let tls: TLSConfiguration? = endpoint.isSecure ? endpoint.trust.clientConfiguration : nil
        if endpoint.isSecure, let host = endpoint.baseURL.host, (try? SocketAddress(ipAddress: host, port: 0)) != nil {
            // The WebSocket client sends the host as the TLS server name, which NIOSSL refuses
            // for an IP address. With a trailing dot it is no longer an address literal, and
            // NIOSSL drops the dot before matching the certificate, whose IP entries it
            // compares with the address actually connected to.
            configuration.sniHostname = host + "."
        }
        let liveness = Liveness(clock: self.configuration.clock)
        do {
            let close = try await WebSocketClient.connect(
                url: endpoint.webSocketURL(token: token).absoluteString, configuration: configuration,
                tlsConfiguration: tls, logger: logger
            ) { inbound, outbound, _ in
                guard handshake.answered() else { return }
                await self.attach(outbound)
                defer { Task { await self.attach(nil) } }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: self.configuration.maxFrameSize) {
                            liveness.frameArrived()
                            guard case .text(let text) = message else { continue }
                            let event = self.decode(text)
                            self.continuation.yield(.frame(text: text, event: event))
                            if case .connectionEstablished = event {
                                liveness.markEstablished()
                                await self.established()
                            }
                        }
                    }
                    group.addTask {
                        try await self.heartbeat(outbound: outbound, liveness: liveness)
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
            let uptime = liveness.uptime
            let reason = close?.reason ?? ""
            // `token expired`, and any 1008 (`logged out`, `account disabled`): the token is
            // checked before a retry, so a token refused for good stops the loop at once.
            let tokenRefused = reason.lowercased().contains("token") || close?.closeCode == .policyViolation
            return Outcome(uptime: uptime, needsCredentialCheck: tokenRefused, reason: "closed \(close.map { "\($0.closeCode)" } ?? "") \(reason)")
        } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
            return Outcome(uptime: nil, needsCredentialCheck: true, reason: "handshake refused")
        } catch {
            if let rejection = await CertificateRejection.explain(error, endpoint: endpoint) {
                return Outcome(uptime: nil, needsCredentialCheck: false, reason: rejection, failure: .untrustedCertificate(rejection))
            }
            let uptime = liveness.uptime
            return Outcome(uptime: uptime, needsCredentialCheck: false, reason: String(describing: error))
        }
    }

    /// Sends `ping` every ``Configuration/pingInterval``; throws once nothing has been
    /// heard for ``Configuration/deadAfter``. Both run on ``Configuration/clock``.
    private nonisolated func heartbeat(outbound: WebSocketOutboundWriter, liveness: Liveness) async throws {
        var nextPing = liveness.now + configuration.pingInterval
        while true {
            let deadline = liveness.lastFrameAt.withLock { $0 } + configuration.deadAfter
            try await liveness.sleep(until: min(nextPing, deadline))
            if liveness.now >= liveness.lastFrameAt.withLock({ $0 }) + configuration.deadAfter {
                logger.debug("no frame for \(configuration.deadAfter): the connection is dead")
                throw DeadConnection()
            }
            if liveness.now >= nextPing {
                try await outbound.write(.text(ClientFrame.ping.jsonText))
                nextPing = liveness.now + configuration.pingInterval
            }
        }
    }

    /// Decodes a frame; a malformed one is logged and skipped, never fatal.
    private nonisolated func decode(_ text: String) -> ServerEvent? {
        do {
            let event = try PythiaJSON.decode(ServerEvent.self, from: text)
            if case .unknown(let type) = event { logger.debug("ignoring an event of unknown type \(type)") }
            return event
        } catch {
            logger.debug("ignoring a malformed frame: \(error)")
            return nil
        }
    }
}
