import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOWebSocket
@testable import PythiaServer
import Testing

/// ``ChatSocketHandler`` in an `EmbeddedChannel`, on simulated time: it carries out what its
/// state machine decides, with its own frames and broadcasts counted against one budget.
@Suite("Chat socket handler")
struct ChatSocketHandlerTests {
    /// A socket whose hub side does nothing: these tests are about the socket itself.
    struct IgnoredEvents: ChatSocketEvents {
        func open(_ connection: HubConnection, registration: SocketRegistration) async {}
        func closed(_ connection: HubConnection) async {}
        func handle(_ data: Data, connection: HubConnection, identity: Identity) async {}
        func refuseForRate(_ connection: HubConnection) async {}
    }

    /// Holds flushes back while `holding`, so written frames stay in the channel's buffer,
    /// as they do for a peer that does not read.
    final class FlushGate: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        var holding = false
        private var context: ChannelHandlerContext?

        func handlerAdded(context: ChannelHandlerContext) { self.context = context }

        func flush(context: ChannelHandlerContext) {
            if !holding { context.flush() }
        }

        /// The peer reads again: everything held goes out.
        func release() {
            holding = false
            context?.flush()
        }
    }

    /// A handler in an embedded pipeline, as the server sets it up (behind a flush gate).
    struct Socket {
        let loop = EmbeddedEventLoop()
        let channel: EmbeddedChannel
        let handler: ChatSocketHandler
        let gate = FlushGate()
        let metrics = ServerMetrics()

        init(
            pingInterval: TimeAmount = .seconds(30), stallTimeout: TimeAmount = .seconds(30),
            maxQueuedFrames: Int = 1024, lifetime: TimeInterval = 3600
        ) throws {
            channel = EmbeddedChannel(loop: loop)
            var logger = Logger(label: "ChatSocketHandlerTests")
            logger.logLevel = .critical
            let environment = ChatSocketEnvironment(
                events: IgnoredEvents(),
                limits: .init(
                    pingInterval: pingInterval, closeTimeout: .seconds(5), stallTimeout: stallTimeout,
                    maxQueuedBytes: 1 << 20, maxQueuedFrames: maxQueuedFrames, frameRate: RateLimit(perSecond: 1000, burst: 1000)),
                clock: .eventLoop, metrics: metrics, logger: logger)
            handler = ChatSocketHandler(
                environment: environment,
                identity: Identity(userId: "u1", username: "alice", expiresAt: Date().addingTimeInterval(lifetime)),
                registration: SocketRegistration(channelIds: [], watch: HandshakeWatch(number: 0)),
                channel: channel)
            try channel.pipeline.syncOperations.addHandlers([gate, handler])
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8000)).wait()
        }

        /// A frame from the peer, masked as a client's must be unless `masked` is `false`.
        func receive(_ opcode: WebSocketOpcode, _ payload: [UInt8], masked: Bool = true) throws {
            let frame = RawWebSocket.frame(opcode: UInt8(webSocketOpcode: opcode), payload: payload, masked: masked)
            try channel.writeInbound(channel.allocator.buffer(bytes: frame))
        }

        /// A short text frame, whole, as the hub writes it.
        func frame(_ text: String = #"{"type":"pong"}"#) -> ByteBuffer {
            var frame = channel.allocator.buffer(capacity: text.utf8.count + 2)
            frame.writeBytes([0x81, UInt8(text.utf8.count)])
            frame.writeString(text)
            return frame
        }

        /// A broadcast as the hub's ``FrameWriter`` sends it: written, then flushed.
        @discardableResult
        func broadcast(_ text: String = #"{"type":"pong"}"#) -> Bool {
            let written = handler.connection.write(frame(text), coalescing: false)
            handler.connection.flush()
            return written
        }

        /// The writes that reached the channel since the last call, each as its bytes.
        func writes() throws -> [[UInt8]] {
            var writes: [[UInt8]] = []
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { writes.append(Array(buffer.readableBytesView)) }
            return writes
        }

        /// The frames sent to the peer so far, as (opcode, payload).
        func sent() throws -> [(opcode: UInt8, payload: [UInt8])] {
            Self.frames(in: try writes().flatMap { $0 })
        }

        /// The texts of the text frames in `bytes`.
        static func texts(in bytes: [UInt8]) -> [String] {
            frames(in: bytes).filter { $0.opcode == 0x1 }.map { String(decoding: $0.payload, as: UTF8.self) }
        }

        private static func frames(in bytes: [UInt8]) -> [(opcode: UInt8, payload: [UInt8])] {
            var bytes = bytes
            var frames: [(UInt8, [UInt8])] = []
            while bytes.count >= 2 {
                let length = Int(bytes[1] & 0x7F)  // the handler's own frames are all short
                frames.append((bytes[0] & 0x0F, Array(bytes[2..<2 + length])))
                bytes.removeFirst(2 + length)
            }
            return frames
        }

        func closeCode() throws -> UInt16? {
            try sent().last { $0.opcode == 0x8 }.map { UInt16($0.payload[0]) << 8 | UInt16($0.payload[1]) }
        }
    }

    @Test func pingsEachIntervalAndClosesWhenOneIsUnanswered() throws {
        let socket = try Socket()
        socket.loop.advanceTime(by: .seconds(30))
        let ping = try #require(try socket.sent().first)
        #expect(ping.opcode == 0x9)
        try socket.receive(.pong, ping.payload)
        socket.loop.advanceTime(by: .seconds(30))
        #expect(try socket.sent().map(\.opcode) == [0x9])
        #expect(socket.channel.isActive)
        socket.loop.advanceTime(by: .seconds(30))
        #expect(try socket.closeCode() == 1001)
        #expect(!socket.channel.isActive, "shut once the close is written")
    }

    @Test func theTokensExpiryClosesWith1008AndTheSocketAtTheCloseTimeout() throws {
        let socket = try Socket(lifetime: 10)
        socket.loop.advanceTime(by: .seconds(10))
        #expect(try socket.closeCode() == 1008)
        socket.loop.advanceTime(by: .milliseconds(4900))
        #expect(socket.channel.isActive, "waiting for the peer's close")
        socket.loop.advanceTime(by: .milliseconds(100))
        #expect(!socket.channel.isActive)
    }

    @Test func aPeersCloseWhoseAnswerNeverGoesOutIsShutAtTheCloseTimeout() throws {
        // The peer reads nothing, so the answer to its close is never written.
        let socket = try Socket()
        socket.gate.holding = true
        try socket.receive(.connectionClose, [0x03, 0xE8])
        socket.loop.advanceTime(by: .milliseconds(4900))
        #expect(socket.channel.isActive)
        socket.loop.advanceTime(by: .milliseconds(100))
        #expect(!socket.channel.isActive)
    }

    @Test func dataThatDoesNotDrainShutsTheSocketAfterTheStallTimeout() throws {
        let socket = try Socket(pingInterval: .hours(1), stallTimeout: .seconds(30))
        socket.gate.holding = true
        for _ in 0..<32 { #expect(socket.broadcast()) }
        socket.loop.advanceTime(by: .seconds(29))
        #expect(socket.channel.isActive)
        socket.loop.advanceTime(by: .seconds(1))
        #expect(!socket.channel.isActive)
        #expect(socket.metrics.exposition().contains("pythia_websocket_stalled_closed_total 1"))
        #expect(!socket.broadcast(), "nothing more is written")
    }

    @Test func aFewFramesThatDoNotDrainAreFoundAtTheNextPing() throws {
        let socket = try Socket(pingInterval: .seconds(30), stallTimeout: .seconds(30))
        socket.gate.holding = true
        socket.broadcast()
        socket.loop.advanceTime(by: .seconds(30))
        #expect(socket.channel.isActive, "the ping's timer found the data waiting")
        socket.loop.advanceTime(by: .seconds(30))
        #expect(!socket.channel.isActive)
    }

    @Test func dataThatDrainsIsNoStall() throws {
        let socket = try Socket(pingInterval: .hours(1), stallTimeout: .seconds(30))
        socket.gate.holding = true
        for _ in 0..<32 { socket.broadcast() }
        socket.loop.advanceTime(by: .seconds(20))
        socket.gate.release()
        socket.loop.advanceTime(by: .seconds(20))
        #expect(socket.channel.isActive)
    }

    @Test func broadcastsAndPongsShareTheFrameBudget() throws {
        let socket = try Socket(maxQueuedFrames: 8)
        socket.gate.holding = true
        for _ in 0..<4 { #expect(socket.broadcast()) }
        for number in 0..<4 { try socket.receive(.ping, [UInt8(number)]) }
        #expect(socket.channel.isActive, "8 frames wait: within the budget")
        try socket.receive(.ping, [9])
        #expect(!socket.channel.isActive)
        #expect(socket.metrics.exposition().contains("pythia_slow_consumers_dropped_total 1"))
    }

    @Test func framesThatDrainDoNotCountAgainstTheBudget() throws {
        let socket = try Socket(maxQueuedFrames: 8)
        for _ in 0..<100 { #expect(socket.broadcast()) }
        for number in 0..<100 { try socket.receive(.ping, [UInt8(number)]) }
        #expect(socket.channel.isActive)
        #expect(try socket.sent().count == 200)
    }

    /// Presence frames (`coalescing`, as ``Hub`` writes `user_status`) are held by the
    /// handler: in a storm of arrivals a socket hears dozens, and a write through the pipeline
    /// each was a fifth of what a handshake cost the server.
    @Test func presenceFramesReachTheChannelAsOneWriteAheadOfTheSocketsNextFrame() throws {
        let socket = try Socket()
        let writer = FrameWriter(eventLoop: socket.loop, coalescingDelay: .milliseconds(250))
        for number in 0..<3 { writer.write(socket.frame("online \(number)"), to: [socket.handler.connection], coalescing: true) }
        socket.loop.run()
        #expect(try socket.writes().isEmpty, "held until a flush")
        writer.write(socket.frame("message"), to: [socket.handler.connection])
        socket.loop.run()
        let writes = try socket.writes()
        #expect(writes.count == 2)
        #expect(writes.map(Socket.texts(in:)) == [["online 0", "online 1", "online 2"], ["message"]])
    }

    @Test func heldPresenceFramesLeaveOnTheirOwnAfterTheDelay() throws {
        let socket = try Socket(pingInterval: .hours(1))
        let writer = FrameWriter(eventLoop: socket.loop, coalescingDelay: .milliseconds(250))
        for number in 0..<2 { writer.write(socket.frame("online \(number)"), to: [socket.handler.connection], coalescing: true) }
        socket.loop.advanceTime(by: .milliseconds(249))
        #expect(try socket.writes().isEmpty)
        socket.loop.advanceTime(by: .milliseconds(1))
        #expect(try socket.writes().map(Socket.texts(in:)) == [["online 0", "online 1"]])
    }

    @Test func aCloseLeavesAfterThePresenceFramesHeldBeforeIt() throws {
        let socket = try Socket()
        let writer = FrameWriter(eventLoop: socket.loop, coalescingDelay: .milliseconds(250))
        for number in 0..<2 { writer.write(socket.frame("online \(number)"), to: [socket.handler.connection], coalescing: true) }
        socket.loop.run()
        socket.handler.close(.normalClosure, reason: nil)
        #expect(try socket.sent().map(\.opcode) == [0x1, 0x1, 0x8])
    }

    @Test func heldPresenceFramesCountAgainstTheBudget() throws {
        // A peer that reads nothing has its presence frames held as long as any other
        // socket's: they must not escape the limit by not being written yet.
        let socket = try Socket(maxQueuedFrames: 8)
        let writer = FrameWriter(eventLoop: socket.loop, coalescingDelay: .milliseconds(250))
        for number in 0..<8 { writer.write(socket.frame("online \(number)"), to: [socket.handler.connection], coalescing: true) }
        socket.loop.run()
        #expect(socket.channel.isActive, "8 frames wait: within the budget")
        writer.write(socket.frame("online 8"), to: [socket.handler.connection], coalescing: true)
        socket.loop.run()
        #expect(!socket.channel.isActive)
        #expect(socket.metrics.exposition().contains("pythia_slow_consumers_dropped_total 1"))
    }

    @Test func anUnmaskedFrameClosesWith1002() throws {
        let socket = try Socket()
        try socket.receive(.text, Array(#"{"type":"ping"}"#.utf8), masked: false)
        #expect(try socket.closeCode() == 1002)
    }
}
