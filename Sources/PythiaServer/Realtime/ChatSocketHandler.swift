import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import PythiaProtocol

/// Serves one authenticated WebSocket on its event loop, as the only handler of its pipeline:
/// it reads the peer's messages from the socket's bytes with a ``ClientMessageReader`` and
/// writes its own frames whole, as the hub does (see ``EventEncoder``), so an idle socket
/// holds one handler and one context rather than a handler each for decoding, checking,
/// joining fragments and encoding.
///
/// What to do is decided by its ``ChatSocketStateMachine`` (the close handshake, keep-alive,
/// token expiry, frame rate, outbound budget); this handler feeds it the socket's events and
/// carries out its actions, with one timer for all its deadlines (in real time the event
/// loop's, and no task; see ``SocketClock``). Text frames are handed, with the socket's
/// opening and closing, to its ``SocketWork``, in order; while too many wait, the socket is
/// not read.
final class ChatSocketHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long a close frame waits for the peer's before the socket is shut.
    static let closeTimeout = TimeAmount.seconds(5)
    /// The longest token lifetime a timer is set for (a later `exp` is as good as never).
    private static let longestLifetime: Double = 10 * 366 * 86_400

    /// What every socket of the server shares.
    private let environment: ChatSocketEnvironment
    /// The hub's view of this socket, with its identity.
    let connection: HubConnection
    private let work: SocketWork
    private var machine: ChatSocketStateMachine
    private var reader = ClientMessageReader()
    private var context: ChannelHandlerContext?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var readingPaused = false
    private var readPending = false
    /// Until the handler is added: what the socket registers with.
    private var registration: SocketRegistration?
    /// Coalescing frames (presence) not yet handed to the channel, in order; each is shared
    /// with its other recipients. They go to the channel as one write at the socket's next
    /// flush, or before any other frame of the socket: a write through the pipeline each cost
    /// more than the copy into one buffer, made only then (a copy made as each arrived kept
    /// its buffer's growth in the heap, 2 KiB per socket after 19 000 arrivals).
    private var held: [ByteBuffer] = []
    /// The bytes of ``held``.
    private var heldBytes = 0

    /// A handler for `channel`, upgraded for `identity` with what its handshake read
    /// (`registration`), in `environment`.
    init(environment: ChatSocketEnvironment, identity: Identity, registration: SocketRegistration, channel: any NIOCore.Channel) {
        self.environment = environment
        self.registration = registration
        connection = HubConnection(identity: identity, channel: channel)
        let now = environment.clock.now(on: channel.eventLoop)
        machine = ChatSocketStateMachine(
            limits: environment.limits, now: now, expiresAt: now + Self.lifetime(until: identity.expiresAt))
        work = SocketWork(of: connection)
    }

    /// The time left until `expiry`, capped so that adding it to now cannot overflow (an
    /// `exp` of any size is valid input).
    private static func lifetime(until expiry: Date) -> TimeAmount {
        .clamped(seconds: min(expiry.timeIntervalSinceNow, longestLifetime))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        connection.attach(self)
        updateTimer()
        let (events, connection) = (environment.events, self.connection)
        guard let registration else { return }
        self.registration = nil  // held by the job alone, until the socket is registered
        work.enqueue { await events.open(connection, registration: registration) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        connection.detach()
        held = []
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        machine.socketClosed()
        connection.markClosing()
        cancelTimer()
        let (events, connection) = (environment.events, self.connection)
        work.enqueue { await events.closed(connection) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reader.append(unwrapInboundIn(data))
        do {
            while let message = try reader.next() {
                received(message, now: environment.clock.now(on: context.eventLoop))
            }
        } catch {
            received(error, now: environment.clock.now(on: context.eventLoop))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The server quiesces its connections when it stops; ``ChatServer/shutdown()`` has
        // normally closed this one already.
        if event is ChannelShouldQuiesceEvent {
            close(.goingAway, reason: "server shutting down")
        } else if let event = event as? ChannelEvent, event == .inputClosed {
            // The server allows half-closed sockets, so a peer that is gone without a close
            // frame only shuts our input: end the socket (with a 1000 if nothing was sent).
            perform(machine.inputClosed(now: environment.clock.now(on: context.eventLoop)))
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Some of what waited has drained.
        if context.channel.isWritable { measureBuffer() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    /// Sends a close frame (once); the socket is shut when the peer answers it, or 5 s later.
    func close(_ code: WebSocketErrorCode, reason: String?) {
        guard let context else { return }
        perform(machine.close(code, reason: reason, now: environment.clock.now(on: context.eventLoop)))
    }

    // MARK: Messages from the peer

    private func received(_ message: ClientMessageReader.Message, now: NIODeadline) {
        switch message {
        case .close(let payload):
            perform(machine.receivedClose(payload, now: now))
        case .text(let text):
            switch machine.receivedText(text, now: now) {
            case .handleText: handle(text)
            case .refuseForRate: refuseForRate()
            case let action: perform(action)
            }
        case .binary:
            perform(machine.receivedBinary(now: now))
        case .ping(let payload):
            perform(machine.receivedPing(payload, now: now))
        case .pong(let payload):
            perform(machine.receivedPong(payload))
        }
    }

    private func received(_ failure: ClientMessageReader.Failure, now: NIODeadline) {
        guard let context else { return }
        switch failure {
        case .undecodable(let code):
            // As NIO's protocol error handler did: the close goes out at once, and the socket is
            // shut once it is written (or at the close timeout if it never is).
            connection.markClosing()
            let promise = context.eventLoop.makePromise(of: Void.self)
            promise.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            send(Self.closeFrame(code, reason: nil), context: context, promise: promise)
            perform(machine.closeSentByDecoder(now: now))
        case .forbidden, .invalidMessage:
            perform(machine.receivedInvalidFrame(failure.closeCode, now: now))
        }
    }

    // MARK: Outbound budget

    /// Writes `frame` (a whole WebSocket frame, from ``HubConnection/write(_:coalescing:)``)
    /// without flushing; `false` when that broke the outbound budget (the socket is then shut).
    /// A `coalescing` frame is held until the socket's next flush or next other frame.
    func write(_ frame: ByteBuffer, coalescing: Bool) -> Bool {
        guard let context else { return false }
        if coalescing {
            held.append(frame)
            heldBytes += frame.readableBytes
        } else {
            writeHeld(context)
            context.write(wrapOutboundOut(frame), promise: nil)
        }
        let action = machine.queued(bytes: frame.readableBytes)
        if action != .none { perform(action) }
        return machine.state != .closed
    }

    /// Flushes what ``write(_:coalescing:)`` wrote: the socket takes what it can.
    func flush() {
        if let context {
            writeHeld(context)
            context.flush()
        }
        flushed()
    }

    /// Hands the held frames to the channel, ahead of whatever the socket writes next.
    private func writeHeld(_ context: ChannelHandlerContext) {
        switch held.count {
        case 0: return
        case 1: context.write(wrapOutboundOut(held[0]), promise: nil)
        default:
            var frames = context.channel.allocator.buffer(capacity: heldBytes)
            for frame in held { frames.writeImmutableBuffer(frame) }
            context.write(wrapOutboundOut(frames), promise: nil)
        }
        held = []
        heldBytes = 0
    }

    /// What was queued was flushed: the socket took what it could.
    private func flushed() {
        guard let context else { return }
        let action = machine.flushed(channelWritable: context.channel.isWritable)
        if action != .none { perform(action) }
    }

    private func measureBuffer() {
        guard let context else { return }
        perform(machine.measured(bufferedBytes: bufferedBytes(context), now: environment.clock.now(on: context.eventLoop)))
    }

    /// What waits to reach the peer: the channel's unsent bytes and the held frames.
    private func bufferedBytes(_ context: ChannelHandlerContext) -> Int {
        let unsent = (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
        return unsent + heldBytes
    }

    // MARK: Actions

    private func perform(_ action: ChatSocketStateMachine.Action) {
        guard let context else { return }
        switch action {
        case .none, .handleText, .refuseForRate:
            break
        case .deferPong:
            environment.metrics.frameRateRefusals.increment()
        case .sendPong(let payload):
            send(EventEncoder.frame(.pong, payload: payload.readableBytesView), context: context)
        case .sendPing(let payload):
            send(EventEncoder.frame(.ping, payload: payload.readableBytesView), context: context)
        case .sendClose(let code, let reason):
            connection.markClosing()
            send(Self.closeFrame(code, reason: reason), context: context)
        case .sendFinalClose(let code, let reason):
            connection.markClosing()
            let promise = context.eventLoop.makePromise(of: Void.self)
            promise.futureResult.assumeIsolated().whenComplete { _ in self.perform(self.machine.finalCloseWritten()) }
            send(Self.closeFrame(code, reason: reason), context: context, promise: promise)
        case .closeSocket:
            connection.markClosing()
            context.close(promise: nil)
        case .closeSocketForLimit(let limit):
            closeForLimit(limit, context: context)
        case .measureBuffer:
            measureBuffer()
        }
        updateTimer()
    }

    /// Writes a whole frame of the handler's own; it counts against the outbound budget as a
    /// broadcast does.
    private func send(_ frame: ByteBuffer, context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        writeHeld(context)
        context.writeAndFlush(wrapOutboundOut(frame), promise: promise)
        perform(machine.queued(bytes: frame.readableBytes))
        flushed()
    }

    /// A peer that reads too little to keep within its budget, or nothing at all, is shut at
    /// once: a close frame would only wait behind what it does not read.
    private func closeForLimit(_ limit: ChatSocketStateMachine.Limit, context: ChannelHandlerContext) {
        switch limit {
        case .outboundQueue: environment.metrics.slowConsumersDropped.increment()
        case .stalled: environment.metrics.stalledSocketsClosed.increment()
        }
        var logger = environment.logger
        logger[metadataKey: "user_id"] = "\(connection.userId)"
        logger.warning("websocket closed: peer not reading", metadata: [
            "limit": "\(limit.rawValue)", "queued_bytes": "\(machine.pendingBytes)",
            "queued_frames": "\(machine.pendingFrames)",
        ])
        connection.markClosing()
        context.close(promise: nil)
    }

    private static func closeFrame(_ code: WebSocketErrorCode, reason: String?) -> ByteBuffer {
        var payload = ByteBuffer()
        payload.write(webSocketErrorCode: code)
        if let reason { payload.writeString(reason) }
        return EventEncoder.frame(.connectionClose, payload: payload.readableBytesView)
    }

    // MARK: Text frames

    private func handle(_ text: ByteBuffer) {
        let (events, connection) = (environment.events, self.connection)
        let data = Data(text.readableBytesView)
        enqueue { await events.handle(data, connection: connection, identity: connection.identity) }
    }

    private func refuseForRate() {
        environment.metrics.frameRateRefusals.increment()
        let (events, connection) = (environment.events, self.connection)
        enqueue { await events.refuseForRate(connection) }
    }

    private func enqueue(_ job: @escaping SocketWork.Job) {
        if work.enqueue(job) { readingPaused = true }
    }

    /// On the event loop: fewer jobs wait than stopped the reading (see ``SocketWork``).
    func resumeReading() {
        readingPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    // MARK: Timer

    /// One timer, set for the machine's next deadline.
    private func updateTimer() {
        guard let context else { return }
        let deadline = machine.nextDeadline
        guard deadline != timerDeadline else { return }
        timer?.cancel()
        timerDeadline = deadline
        guard let deadline else {
            timer = nil
            return
        }
        timer = environment.clock.schedule(at: deadline, on: context.eventLoop) { self.timerFired() }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        guard let context else { return }
        while true {
            let action = machine.timerFired(now: environment.clock.now(on: context.eventLoop), bufferedBytes: bufferedBytes(context))
            guard action != .none else { break }
            perform(action)
        }
        updateTimer()
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }
}

@available(*, unavailable)
extension ChatSocketHandler: Sendable {}
