import NIOCore
import NIOWebSocket
@testable import PythiaServer
import Testing

/// ``ChatSocketStateMachine`` on its own: every state against every event, then each rule
/// over time. Time is whatever the test says it is.
@Suite("Chat socket state machine")
struct ChatSocketStateMachineTests {
    typealias Machine = ChatSocketStateMachine
    typealias Action = ChatSocketStateMachine.Action

    static let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    static let limits = Machine.Limits(
        pingInterval: .seconds(30), closeTimeout: .seconds(5), stallTimeout: .seconds(30),
        maxQueuedBytes: 1 << 20, maxQueuedFrames: 1024, frameRate: RateLimit(perSecond: 20, burst: 40))

    static func machine(_ limits: Machine.Limits = limits, lifetime: TimeAmount = .hours(1)) -> Machine {
        Machine(limits: limits, now: t0, expiresAt: t0 + lifetime)
    }

    static func closePayload(_ code: UInt16, _ reason: [UInt8] = []) -> ByteBuffer {
        ByteBuffer(bytes: [UInt8(code >> 8), UInt8(code & 0xFF)] + reason)
    }

    // MARK: Every state × every event

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case open, closing, finishing, closed
        var testDescription: String { rawValue }
    }

    static func kind(of state: Machine.State) -> Kind {
        switch state {
        case .open: .open
        case .closing: .closing
        case .finishing: .finishing
        case .closed: .closed
        }
    }

    /// A machine in `kind`, reached the way a socket gets there.
    static func machine(in kind: Kind) -> Machine {
        var machine = machine()
        switch kind {
        case .open: break
        case .closing: _ = machine.close(.goingAway, reason: "server shutting down", now: t0)
        case .finishing: _ = machine.receivedClose(closePayload(1000), now: t0)
        case .closed: machine.socketClosed()
        }
        #expect(Self.kind(of: machine.state) == kind)
        return machine
    }

    enum Event: String, CaseIterable, CustomTestStringConvertible {
        case text, invalidText, binary, ping, pong, close, invalidFrame, decoderClose, inputClosed
        case serverClose, finalCloseWritten, queued, flushed, measuredOverBudget, earlyTimer
        var testDescription: String { rawValue }

        func apply(to machine: inout Machine) -> Action {
            let now = ChatSocketStateMachineTests.t0 + .seconds(1)
            switch self {
            case .text: return machine.receivedText(ByteBuffer(string: #"{"type":"ping"}"#), now: now)
            case .invalidText: return machine.receivedText(ByteBuffer(bytes: [0x7B, 0xC3, 0x28]), now: now)
            case .binary: return machine.receivedBinary(now: now)
            case .ping: return machine.receivedPing(ByteBuffer(bytes: [1, 2]), now: now)
            case .pong: return machine.receivedPong(ByteBuffer(bytes: [1, 2]))
            case .close: return machine.receivedClose(ChatSocketStateMachineTests.closePayload(1000), now: now)
            case .invalidFrame: return machine.receivedInvalidFrame(.protocolError, now: now)
            case .decoderClose: return machine.closeSentByDecoder(now: now)
            case .inputClosed: return machine.inputClosed(now: now)
            case .serverClose: return machine.close(.policyViolation, reason: "token expired", now: now)
            case .finalCloseWritten: return machine.finalCloseWritten()
            case .queued: return machine.queued(bytes: 100)
            case .flushed: return machine.flushed(channelWritable: true)
            case .measuredOverBudget: return machine.measured(bufferedBytes: 2 << 20, now: now)
            case .earlyTimer: return machine.timerFired(now: now, bufferedBytes: 0)
            }
        }
    }

    /// What each event does in each state: the action, and the state after.
    static let table: [Event: [Kind: (Action, Kind)]] = [
        .text: [.open: (.handleText, .open), .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed)],
        .invalidText: [
            .open: (.sendClose(.dataInconsistentWithMessage, reason: nil), .closing),
            .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed),
        ],
        .binary: [
            .open: (.sendClose(.unacceptableData, reason: "binary frames are not accepted"), .closing),
            .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed),
        ],
        .ping: [
            .open: (.sendPong(ByteBuffer(bytes: [1, 2])), .open),
            .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed),
        ],
        .pong: [.open: (.none, .open), .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed)],
        .close: [
            .open: (.sendFinalClose(.normalClosure, reason: nil), .finishing),
            .closing: (.closeSocket, .closed), .finishing: (.none, .finishing), .closed: (.none, .closed),
        ],
        .invalidFrame: [
            .open: (.sendClose(.protocolError, reason: nil), .closing),
            .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed),
        ],
        .decoderClose: [
            .open: (.none, .finishing), .closing: (.none, .finishing), .finishing: (.none, .finishing), .closed: (.none, .closed),
        ],
        .inputClosed: [
            .open: (.sendFinalClose(.normalClosure, reason: nil), .finishing),
            .closing: (.closeSocket, .closed), .finishing: (.closeSocket, .closed), .closed: (.none, .closed),
        ],
        .serverClose: [
            .open: (.sendClose(.policyViolation, reason: "token expired"), .closing),
            .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed),
        ],
        .finalCloseWritten: [
            .open: (.none, .open), .closing: (.none, .closing), .finishing: (.closeSocket, .closed), .closed: (.none, .closed),
        ],
        .queued: [.open: (.none, .open), .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed)],
        .flushed: [.open: (.none, .open), .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed)],
        .measuredOverBudget: [
            .open: (.closeSocketForLimit(.outboundQueue), .closed), .closing: (.closeSocketForLimit(.outboundQueue), .closed),
            .finishing: (.closeSocketForLimit(.outboundQueue), .closed), .closed: (.none, .closed),
        ],
        .earlyTimer: [.open: (.none, .open), .closing: (.none, .closing), .finishing: (.none, .finishing), .closed: (.none, .closed)],
    ]

    @Test(arguments: Kind.allCases, Event.allCases)
    func everyStateAndEvent(kind: Kind, event: Event) throws {
        var machine = Self.machine(in: kind)
        let (action, after) = try #require(Self.table[event]?[kind])
        #expect(event.apply(to: &machine) == action)
        #expect(Self.kind(of: machine.state) == after)
        #expect((machine.nextDeadline == nil) == (after == .closed), "only a closed socket has no deadline")
    }

    // MARK: Keep-alive and expiry

    @Test func aPingEachIntervalAndAnUnansweredOneEndsTheSocket() {
        var machine = Self.machine()
        let first = Self.t0 + .seconds(30)
        #expect(machine.nextDeadline == first)
        #expect(machine.timerFired(now: first - .nanoseconds(1), bufferedBytes: 0) == .none)
        #expect(machine.timerFired(now: first, bufferedBytes: 0) == .sendPing(ByteBuffer(integer: UInt64(1))))
        #expect(machine.timerFired(now: first, bufferedBytes: 0) == .none)
        // A pong with another payload answers nothing; the right one does.
        _ = machine.receivedPong(ByteBuffer(integer: UInt64(2)))
        _ = machine.receivedPong(ByteBuffer(integer: UInt64(1)))
        let second = first + .seconds(30)
        #expect(machine.nextDeadline == second)
        #expect(machine.timerFired(now: second, bufferedBytes: 0) == .sendPing(ByteBuffer(integer: UInt64(2))))
        _ = machine.receivedPong(ByteBuffer(integer: UInt64(1)))
        let third = second + .seconds(30)
        #expect(machine.timerFired(now: third, bufferedBytes: 0) == .sendFinalClose(.goingAway, reason: "Ping timeout"))
        #expect(machine.state == .finishing(deadline: third + .seconds(5)))
    }

    @Test func theTokensExpiryClosesWith1008() {
        var machine = Self.machine(lifetime: .seconds(10))
        #expect(machine.nextDeadline == Self.t0 + .seconds(10))
        #expect(machine.timerFired(now: Self.t0 + .seconds(10), bufferedBytes: 0) == .sendClose(.policyViolation, reason: "token expired"))
        #expect(machine.state == .closing(deadline: Self.t0 + .seconds(15)))
    }

    @Test(arguments: [Kind.closing, .finishing])
    func aCloseThatIsNotAnsweredShutsTheSocketAtItsDeadline(kind: Kind) {
        var machine = Self.machine(in: kind)
        let deadline = Self.t0 + .seconds(5)
        #expect(machine.nextDeadline == deadline)
        #expect(machine.timerFired(now: deadline - .milliseconds(1), bufferedBytes: 0) == .none)
        #expect(machine.timerFired(now: deadline, bufferedBytes: 0) == .closeSocket)
        #expect(machine.state == .closed)
        #expect(machine.nextDeadline == nil)
    }

    // MARK: Frame rate

    @Test func textOverTheRateIsRefusedAndPingsCount() {
        var machine = Self.machine(.init(
            pingInterval: .seconds(30), closeTimeout: .seconds(5), stallTimeout: .seconds(30),
            maxQueuedBytes: 1 << 20, maxQueuedFrames: 1024, frameRate: RateLimit(perSecond: 1, burst: 2)))
        let text = ByteBuffer(string: #"{"type":"ping"}"#)
        #expect(machine.receivedText(text, now: Self.t0) == .handleText)
        #expect(machine.receivedPing(ByteBuffer(bytes: [1]), now: Self.t0) == .sendPong(ByteBuffer(bytes: [1])))
        #expect(machine.receivedText(text, now: Self.t0) == .refuseForRate)
        // Pings over the rate: only the latest is answered, when a token is back (1 s).
        #expect(machine.receivedPing(ByteBuffer(bytes: [2]), now: Self.t0) == .deferPong)
        #expect(machine.receivedPing(ByteBuffer(bytes: [3]), now: Self.t0) == .deferPong)
        #expect(machine.nextDeadline == Self.t0 + .seconds(1))
        #expect(machine.timerFired(now: Self.t0 + .seconds(1), bufferedBytes: 0) == .sendPong(ByteBuffer(bytes: [3])))
        #expect(machine.timerFired(now: Self.t0 + .seconds(1), bufferedBytes: 0) == .none)
        #expect(machine.receivedText(text, now: Self.t0 + .seconds(2)) == .handleText)
    }

    // MARK: Outbound budget

    static func budget(bytes: Int = 1 << 20, frames: Int = 1024, stall: TimeAmount = .seconds(30)) -> Machine.Limits {
        .init(pingInterval: .hours(1), closeTimeout: .seconds(5), stallTimeout: stall,
              maxQueuedBytes: bytes, maxQueuedFrames: frames, frameRate: RateLimit(perSecond: 20, burst: 40))
    }

    @Test func framesPastTheLimitThatHaveNotDrainedCloseTheSocket() {
        var machine = Self.machine(Self.budget(frames: 4), lifetime: .hours(2))
        for _ in 0..<4 { #expect(machine.queued(bytes: 10) == .none) }
        #expect(machine.queued(bytes: 10) == .measureBuffer)
        #expect(machine.measured(bufferedBytes: 10, now: Self.t0) == .closeSocketForLimit(.outboundQueue))
        #expect(machine.state == .closed)
    }

    @Test func framesThatDrainedDoNotCount() {
        var machine = Self.machine(Self.budget(frames: 4), lifetime: .hours(2))
        for _ in 0..<5 { _ = machine.queued(bytes: 10) }
        #expect(machine.measured(bufferedBytes: 0, now: Self.t0) == .none)
        #expect(machine.pendingFrames == 0)
        for _ in 0..<4 { #expect(machine.queued(bytes: 10) == .none) }
        #expect(machine.state == .open)
    }

    @Test func aFlushMeasuresOnlyWhereItCanMatter() {
        var machine = Self.machine(Self.budget(frames: 1024), lifetime: .hours(2))
        for _ in 0..<31 { _ = machine.queued(bytes: 10) }
        #expect(machine.flushed(channelWritable: true) == .none)
        #expect(machine.flushed(channelWritable: false) == .measureBuffer, "past the high watermark")
        _ = machine.queued(bytes: 10)
        #expect(machine.flushed(channelWritable: true) == .measureBuffer, "32 frames since the buffer was seen empty")
        #expect(machine.measured(bufferedBytes: 0, now: Self.t0) == .none)
        #expect(machine.flushed(channelWritable: true) == .none)
        var small = Self.machine(Self.budget(frames: 8), lifetime: .hours(2))
        for _ in 0..<4 { _ = small.queued(bytes: 10) }
        #expect(small.flushed(channelWritable: true) == .measureBuffer, "half the frame limit")
    }

    @Test func bytesPastTheLimitCloseTheSocketUnlessTheyDrained() {
        var machine = Self.machine(Self.budget(bytes: 4096), lifetime: .hours(2))
        for _ in 0..<4 { #expect(machine.queued(bytes: 1000) == .none) }
        #expect(machine.queued(bytes: 1000) == .measureBuffer)
        // Most had already gone: the estimate was stale.
        #expect(machine.measured(bufferedBytes: 1000, now: Self.t0) == .none)
        #expect(machine.pendingBytes == 1000)
        #expect(machine.queued(bytes: 3097) == .measureBuffer)
        #expect(machine.measured(bufferedBytes: 4097, now: Self.t0) == .closeSocketForLimit(.outboundQueue))
    }

    @Test(arguments: [Kind.open, .closing, .finishing])
    func dataThatDoesNotDrainClosesTheSocketInEveryState(kind: Kind) {
        var machine = Machine(limits: Self.budget(stall: .seconds(2)), now: Self.t0, expiresAt: Self.t0 + .hours(2))
        _ = machine.queued(bytes: 500)
        #expect(machine.measured(bufferedBytes: 500, now: Self.t0) == .none)
        switch kind {
        case .open, .closed: break
        case .closing: _ = machine.close(.goingAway, reason: nil, now: Self.t0)
        case .finishing: _ = machine.receivedClose(Self.closePayload(1000), now: Self.t0)
        }
        let stalled = Self.t0 + .seconds(2)
        #expect(machine.nextDeadline == stalled)
        #expect(machine.timerFired(now: stalled, bufferedBytes: 500) == .closeSocketForLimit(.stalled))
        #expect(machine.state == .closed)
    }

    @Test func dataThatKeepsDrainingIsNotAStall() {
        var machine = Machine(limits: Self.budget(stall: .seconds(2)), now: Self.t0, expiresAt: Self.t0 + .hours(2))
        _ = machine.queued(bytes: 500)
        _ = machine.measured(bufferedBytes: 500, now: Self.t0)
        _ = machine.queued(bytes: 500)
        // 300 of the 1000 went out by the check: the clock starts again.
        var now = Self.t0 + .seconds(2)
        #expect(machine.timerFired(now: now, bufferedBytes: 700) == .none)
        #expect(machine.state == .open)
        // Checked again within a quarter of the timeout; nothing drains from then on.
        #expect(machine.nextDeadline == now + .milliseconds(500))
        while let deadline = machine.nextDeadline, deadline < Self.t0 + .seconds(4) {
            now = deadline
            #expect(machine.timerFired(now: now, bufferedBytes: 700) == .none)
        }
        now = Self.t0 + .seconds(4)
        #expect(machine.nextDeadline == now)
        #expect(machine.timerFired(now: now, bufferedBytes: 700) == .closeSocketForLimit(.stalled))
    }

    @Test func aBufferFoundEmptyDisarmsTheStallCheck() {
        var machine = Machine(limits: Self.budget(stall: .seconds(2)), now: Self.t0, expiresAt: Self.t0 + .hours(2))
        _ = machine.queued(bytes: 500)
        _ = machine.measured(bufferedBytes: 500, now: Self.t0)
        #expect(machine.nextDeadline == Self.t0 + .seconds(2))
        _ = machine.measured(bufferedBytes: 0, now: Self.t0 + .seconds(1))
        #expect(machine.nextDeadline == Self.t0 + .hours(1))
    }

    // MARK: Close frames and sizes

    @Test(arguments: [
        (UInt16(1000), UInt16(1000)), (1001, 1000), (1002, 1000), (1003, 1000), (1007, 1000), (1011, 1000),
        (1014, 1000), (3000, 1000), (4999, 1000), (0, 1002), (999, 1002), (1004, 1002), (1005, 1002),
        (1006, 1002), (1015, 1002), (1016, 1002), (2999, 1002), (5000, 1002),
    ])
    func closeCodesAreAnswered(code: UInt16, answer: UInt16) {
        #expect(Machine.answer(toClosePayload: Self.closePayload(code)) == WebSocketErrorCode(codeNumber: Int(answer)))
    }

    @Test func malformedClosePayloadsAre1002() {
        #expect(Machine.answer(toClosePayload: ByteBuffer()) == .normalClosure)
        #expect(Machine.answer(toClosePayload: ByteBuffer(bytes: [0x03])) == .protocolError)
        #expect(Machine.answer(toClosePayload: Self.closePayload(1000, Array("bye".utf8))) == .normalClosure)
        #expect(Machine.answer(toClosePayload: Self.closePayload(1000, [0xCE, 0xBA, 0xE1])) == .protocolError)
    }

    @Test func wireSizesFollowTheLengthEncoding() {
        #expect(Machine.wireSize(payload: 0) == 2)
        #expect(Machine.wireSize(payload: 125) == 127)
        #expect(Machine.wireSize(payload: 126) == 130)
        #expect(Machine.wireSize(payload: 65_535) == 65_539)
        #expect(Machine.wireSize(payload: 65_536) == 65_546)
    }
}
