import Foundation
import NIOCore
import NIOWebSocket

/// The rules of one chat WebSocket, without I/O, in the shape of WSCore's
/// `WebSocketStateMachine`: each event the socket sees goes in, with the time, and one
/// ``Action`` comes out for ``ChatSocketHandler`` to carry out.
///
/// It owns the close handshake (open, closing, finishing, closed) and its deadlines, the
/// keep-alive ping and its timeout, the token's expiry, the inbound frame rate, and the
/// outbound budget: the bytes and frames queued to the peer (pongs, pings and closes
/// included), and how long they have waited without draining. Its timers are one deadline,
/// ``nextDeadline``; the handler calls ``timerFired(now:bufferedBytes:)`` then until it
/// answers ``Action/none``.
struct ChatSocketStateMachine {
    /// What a socket may do and how long it waits: one per server, shared by every socket's
    /// machine (a class, so that each holds a reference rather than a copy).
    final class Limits: Sendable {
        /// How often the peer is pinged; a ping unanswered when the next is due closes it.
        let pingInterval: TimeAmount
        /// How long a close frame waits for the peer's before the socket is shut.
        let closeTimeout: TimeAmount
        /// How long queued data may wait without any of it draining before the socket is shut.
        let stallTimeout: TimeAmount
        /// Bytes that may wait to be written to the peer.
        let maxQueuedBytes: Int
        /// Frames that may wait to be written to the peer.
        let maxQueuedFrames: Int
        /// Text and ping frames the peer may send.
        let frameRate: RateLimit

        /// The limits `configuration` sets.
        convenience init(_ configuration: ServerConfiguration) {
            self.init(
                pingInterval: TimeAmount(configuration.pingInterval), closeTimeout: ChatSocketHandler.closeTimeout,
                stallTimeout: TimeAmount(configuration.outboundStallTimeout),
                maxQueuedBytes: configuration.outboundQueueBytes, maxQueuedFrames: configuration.outboundQueueLimit,
                frameRate: configuration.frameRate)
        }

        /// Limits as given.
        init(
            pingInterval: TimeAmount, closeTimeout: TimeAmount, stallTimeout: TimeAmount,
            maxQueuedBytes: Int, maxQueuedFrames: Int, frameRate: RateLimit
        ) {
            self.pingInterval = pingInterval
            self.closeTimeout = closeTimeout
            self.stallTimeout = stallTimeout
            self.maxQueuedBytes = maxQueuedBytes
            self.maxQueuedFrames = maxQueuedFrames
            self.frameRate = frameRate
        }
    }

    /// Where the close handshake stands.
    enum State: Equatable {
        case open
        /// Our close frame is sent; the peer's is awaited until `deadline`.
        case closing(deadline: NIODeadline)
        /// Our last close frame is going out; the socket is shut once it is written, or at
        /// `deadline` if the peer never lets it out.
        case finishing(deadline: NIODeadline)
        /// The socket is shut, or being shut: nothing more is done.
        case closed
    }

    /// A limit that shut a socket.
    enum Limit: String, Equatable, Sendable {
        /// More than the bytes or frames allowed waited for the peer.
        case outboundQueue = "outbound_queue"
        /// Queued data did not drain for the stall timeout.
        case stalled
    }

    /// What the handler does next.
    enum Action: Equatable {
        case none
        /// Hand the text frame to the socket's work.
        case handleText
        /// Answer the text frame with a `rate_limited` error.
        case refuseForRate
        /// A ping came over the frame rate: its pong waits until the rate allows one.
        case deferPong
        case sendPong(ByteBuffer)
        case sendPing(ByteBuffer)
        /// Send a close frame and keep reading until the peer's close (or the deadline).
        case sendClose(WebSocketErrorCode, reason: String?)
        /// Send a close frame, then report ``finalCloseWritten()``.
        case sendFinalClose(WebSocketErrorCode, reason: String?)
        case closeSocket
        /// Shut the socket at once: `limit` was broken (the peer gets no close frame).
        case closeSocketForLimit(Limit)
        /// Report the channel's buffered bytes to ``measured(bufferedBytes:now:)``.
        case measureBuffer
    }

    let limits: Limits
    private(set) var state = State.open

    // Keep-alive and expiry (open only).
    private var nextPingAt: NIODeadline
    private let expiresAt: NIODeadline
    private var pingsSent: UInt64 = 0
    /// The number carried by the ping the peer has not answered yet.
    private var unansweredPing: UInt64?

    // Inbound rate.
    private var bucket: TokenBucket
    /// The bucket runs on the continuous clock: `origin` stands for `start`.
    private let start: NIODeadline
    private let origin = ContinuousClock.now
    /// The payload of the latest ping over the rate, answered at `deferredPongAt`.
    private var deferredPong: ByteBuffer?
    private var deferredPongAt: NIODeadline?

    // Outbound budget.
    /// Bytes queued since the socket opened (frames as they go on the wire).
    private var queuedTotal = 0
    /// Of those, the most found drained.
    private var drainedTotal = 0
    /// Bytes waiting: the last measurement plus what was queued since.
    private(set) var pendingBytes = 0
    /// Frames queued since the buffer was last found empty.
    private(set) var pendingFrames = 0
    /// When queued data was last found to have drained (or started waiting).
    private var lastDrainAt: NIODeadline?
    private var stallCheckAt: NIODeadline?

    /// A socket opened at `now` whose token expires at `expiresAt`.
    init(limits: Limits, now: NIODeadline, expiresAt: NIODeadline) {
        self.limits = limits
        self.start = now
        self.expiresAt = expiresAt
        nextPingAt = now + limits.pingInterval
        bucket = TokenBucket(limits.frameRate, now: origin)
    }

    /// When ``timerFired(now:bufferedBytes:)`` is next due; `nil` once closed.
    var nextDeadline: NIODeadline? {
        let stall = stallCheckAt ?? .distantFuture
        switch state {
        case .open:
            return min(nextPingAt, expiresAt, deferredPongAt ?? .distantFuture, stall)
        case .closing(let deadline), .finishing(let deadline):
            return min(deadline, stall)
        case .closed:
            return nil
        }
    }

    // MARK: Frames from the peer

    /// A whole text message.
    mutating func receivedText(_ text: ByteBuffer, now: NIODeadline) -> Action {
        guard state == .open else { return .none }
        guard String(validating: text.readableBytesView, as: UTF8.self) != nil else {
            return close(.dataInconsistentWithMessage, reason: nil, now: now)
        }
        return takeToken(now: now) == nil ? .handleText : .refuseForRate
    }

    /// A whole binary message: not part of the protocol.
    mutating func receivedBinary(now: NIODeadline) -> Action {
        close(.unacceptableData, reason: "binary frames are not accepted", now: now)
    }

    /// A ping: answered with its payload, as often as the frame rate allows; past it only the
    /// latest is answered, when the rate allows (RFC 6455 §5.5.3 permits answering only the
    /// most recent ping).
    mutating func receivedPing(_ payload: ByteBuffer, now: NIODeadline) -> Action {
        guard state == .open else { return .none }
        if let wait = takeToken(now: now) {
            deferredPong = payload
            if deferredPongAt == nil { deferredPongAt = now + TimeAmount(wait) }
            return .deferPong
        }
        deferredPong = nil
        deferredPongAt = nil
        return .sendPong(payload)
    }

    /// A pong: answers our ping when it carries its payload.
    mutating func receivedPong(_ payload: ByteBuffer) -> Action {
        if state == .open, let ping = unansweredPing, payload.readableBytes == 8,
           payload.getInteger(at: payload.readerIndex, as: UInt64.self) == ping {
            unansweredPing = nil
        }
        return .none
    }

    /// The peer's close frame: answers ours, or is answered (RFC 6455 §5.5.1).
    mutating func receivedClose(_ payload: ByteBuffer, now: NIODeadline) -> Action {
        switch state {
        case .open:
            state = .finishing(deadline: now + limits.closeTimeout)
            return .sendFinalClose(Self.answer(toClosePayload: payload), reason: nil)
        case .closing:
            state = .closed
            return .closeSocket
        case .finishing, .closed:
            return .none
        }
    }

    /// A frame RFC 6455 forbids (unmasked, reserved bits or opcode, a broken fragment
    /// sequence): 1002. A message over the size limit: 1009.
    mutating func receivedInvalidFrame(_ code: WebSocketErrorCode, now: NIODeadline) -> Action {
        close(code, reason: nil, now: now)
    }

    /// A frame that could not be decoded (see ``ClientMessageReader/Failure/undecodable(_:)``):
    /// its close was sent at once, and the socket is shut once it is written; the deadline
    /// shuts it if the peer never lets it out.
    mutating func closeSentByDecoder(now: NIODeadline) -> Action {
        switch state {
        case .open, .closing:
            state = .finishing(deadline: now + limits.closeTimeout)
        case .finishing, .closed:
            break
        }
        return .none
    }

    /// The peer shut its side without a close frame: a 1000, then the socket is shut.
    mutating func inputClosed(now: NIODeadline) -> Action {
        switch state {
        case .open:
            state = .finishing(deadline: now + limits.closeTimeout)
            return .sendFinalClose(.normalClosure, reason: nil)
        case .closing, .finishing:
            state = .closed
            return .closeSocket
        case .closed:
            return .none
        }
    }

    // MARK: From the server

    /// The server closes the socket (shutdown, token expiry, failed registration).
    mutating func close(_ code: WebSocketErrorCode, reason: String?, now: NIODeadline) -> Action {
        guard state == .open else { return .none }
        state = .closing(deadline: now + limits.closeTimeout)
        return .sendClose(code, reason: reason)
    }

    /// Our last close frame was written (or failed to be).
    mutating func finalCloseWritten() -> Action {
        guard case .finishing = state else { return .none }
        state = .closed
        return .closeSocket
    }

    /// The socket is gone.
    mutating func socketClosed() {
        state = .closed
        stallCheckAt = nil
    }

    // MARK: Outbound budget

    /// A frame of `bytes` (as on the wire) was queued to the peer. Integer adds only: it runs
    /// for every frame of every broadcast. Past a limit the counts may be stale (they grow
    /// until measured), so the handler is asked to measure before anything is decided.
    mutating func queued(bytes: Int) -> Action {
        queuedTotal &+= bytes
        pendingBytes &+= bytes
        pendingFrames &+= 1
        guard state != .closed else { return .none }
        return pendingBytes > limits.maxQueuedBytes || pendingFrames > limits.maxQueuedFrames ? .measureBuffer : .none
    }

    /// What was queued was flushed, and the socket took what it could. Reading the channel's
    /// buffered bytes costs more than the integer adds of ``queued(bytes:)``, so it is done
    /// only where it can matter: when the channel is past its high watermark, or once a few
    /// frames have been queued since the buffer was last seen empty (which resets the count).
    /// A few frames stuck below the watermark are found at the next timer, keep-alive ping
    /// included, as ``timerFired(now:bufferedBytes:)`` always measures.
    mutating func flushed(channelWritable: Bool) -> Action {
        guard state != .closed else { return .none }
        return !channelWritable || pendingFrames >= measurePeriod ? .measureBuffer : .none
    }

    /// How many frames queued since the buffer was last seen empty make ``flushed(channelWritable:)``
    /// measure: at most 32, and at most half the frame limit.
    private var measurePeriod: Int { max(1, min(32, limits.maxQueuedFrames / 2)) }

    /// The channel holds `bufferedBytes` not yet written to the socket. Past a limit the socket
    /// is shut; data that starts waiting arms the stall check.
    mutating func measured(bufferedBytes: Int, now: NIODeadline) -> Action {
        guard state != .closed else { return .none }
        pendingBytes = bufferedBytes
        let drained = queuedTotal - bufferedBytes
        if bufferedBytes == 0 {
            pendingFrames = 0
            lastDrainAt = nil
            stallCheckAt = nil
        } else if lastDrainAt == nil || drained > drainedTotal {
            lastDrainAt = now
            if stallCheckAt == nil { stallCheckAt = now + limits.stallTimeout }
        }
        drainedTotal = max(drainedTotal, drained)
        guard pendingBytes > limits.maxQueuedBytes || pendingFrames > limits.maxQueuedFrames else { return .none }
        state = .closed
        return .closeSocketForLimit(.outboundQueue)
    }

    // MARK: Timers

    /// The deadline passed: does one thing that was due. Call again until ``Action/none``.
    mutating func timerFired(now: NIODeadline, bufferedBytes: Int) -> Action {
        guard state != .closed else { return .none }
        let measurement = measured(bufferedBytes: bufferedBytes, now: now)
        guard measurement == .none else { return measurement }
        if let check = stallCheckAt, check <= now, let lastDrainAt {
            if now - lastDrainAt >= limits.stallTimeout {
                state = .closed
                stallCheckAt = nil
                return .closeSocketForLimit(.stalled)
            }
            // A drain seen late is seen at most a quarter of the timeout late.
            stallCheckAt = min(lastDrainAt + limits.stallTimeout, now + .nanoseconds(limits.stallTimeout.nanoseconds / 4))
        }
        switch state {
        case .closing(let deadline), .finishing(let deadline):
            guard deadline <= now else { return .none }
            state = .closed
            return .closeSocket
        case .closed:
            return .none
        case .open:
            if expiresAt <= now {
                return close(.policyViolation, reason: "token expired", now: now)
            }
            if let at = deferredPongAt, at <= now, let payload = deferredPong {
                deferredPongAt = nil
                deferredPong = nil
                return .sendPong(payload)
            }
            if nextPingAt <= now {
                return ping(now: now)
            }
            return .none
        }
    }

    /// Every ping interval: a ping, unless the last one is still unanswered, which ends the
    /// socket (1001).
    private mutating func ping(now: NIODeadline) -> Action {
        if unansweredPing != nil {
            state = .finishing(deadline: now + limits.closeTimeout)
            return .sendFinalClose(.goingAway, reason: "Ping timeout")
        }
        pingsSent &+= 1
        unansweredPing = pingsSent
        nextPingAt = now + limits.pingInterval
        return .sendPing(ByteBuffer(integer: pingsSent))
    }

    /// Takes a token from the frame-rate bucket; when there is none, how long until there is.
    private mutating func takeToken(now: NIODeadline) -> Duration? {
        bucket.take(now: origin.advanced(by: .nanoseconds((now - start).nanoseconds)))
    }

    /// The close code that answers the peer's close: 1000, or 1002 for a malformed one (a
    /// 1-byte payload, a reason that is not UTF-8, a code no endpoint may send).
    static func answer(toClosePayload payload: ByteBuffer) -> WebSocketErrorCode {
        var data = payload
        guard data.readableBytes != 1 else { return .protocolError }
        guard let code = data.readInteger(as: UInt16.self) else { return .normalClosure }
        guard String(validating: data.readableBytesView, as: UTF8.self) != nil else { return .protocolError }
        // 1000–1003 and 1007–1014 are defined for the wire (1004–1006 and 1015 never are);
        // 3000–4999 belong to libraries and applications.
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: return .normalClosure
        default: return .protocolError
        }
    }

    /// The size of a server frame (unmasked) carrying `payload` bytes, on the wire.
    static func wireSize(payload: Int) -> Int {
        payload + (payload < 126 ? 2 : payload <= 65_535 ? 4 : 10)
    }
}
