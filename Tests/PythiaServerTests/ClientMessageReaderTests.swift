import NIOCore
import NIOWebSocket
@testable import PythiaServer
import PythiaProtocol
import Testing

/// ``ClientMessageReader`` on its own: the rules of NIO's decoder, protocol error handler and
/// aggregator it took over, and reads that end anywhere in a frame. The same rules through
/// real sockets are in `AutobahnShapedTests` and `FrameValidationTests`.
@Suite("Client message reader")
struct ClientMessageReaderTests {
    typealias Message = ClientMessageReader.Message

    /// Everything `reads` make of the bytes, in order, and the failure that ended them.
    static func read(_ reads: [[UInt8]]) -> (messages: [Message], failure: ClientMessageReader.Failure?) {
        var reader = ClientMessageReader()
        var messages: [Message] = []
        for bytes in reads {
            reader.append(ByteBuffer(bytes: bytes))
            do {
                while let message = try reader.next() { messages.append(message) }
            } catch {
                return (messages, error)
            }
        }
        return (messages, nil)
    }

    static func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0, masked: Bool = true) -> [UInt8] {
        RawWebSocket.frame(opcode: opcode, payload: payload, fin: fin, rsv: rsv, masked: masked)
    }

    static func text(_ string: String) -> Message { .text(ByteBuffer(string: string)) }

    @Test func fragmentsAreJoinedAroundAPingWhereverTheReadsEnd() {
        let bytes = Self.frame(0x1, Array("hel".utf8), fin: false) + Self.frame(0x9, [7])
            + Self.frame(0x0, Array("lo".utf8), fin: false) + Self.frame(0x0, Array(" you".utf8))
            + Self.frame(0x1, Array("next".utf8))
        let expected: [Message] = [.ping(ByteBuffer(bytes: [7])), Self.text("hello you"), Self.text("next")]
        #expect(Self.read([bytes]).messages == expected)
        for split in 1..<bytes.count {
            let (messages, failure) = Self.read([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(messages == expected && failure == nil, "split at \(split)")
        }
        #expect(Self.read(bytes.map { [$0] }).messages == expected)
    }

    @Test func aFrameOverTheLimitIsRefusedWith1009AsSoonAsItsLengthIsIn() {
        // The length of a frame of 64 KiB + 1, without its mask or payload.
        let header: [UInt8] = [0x81, 0x80 | 127] + withUnsafeBytes(of: UInt64(Limits.maxPayloadBytes + 1).bigEndian, Array.init)
        #expect(Self.read([header]).failure == .undecodable(.messageTooLarge))
        #expect(Self.read([Self.frame(0x1, [UInt8](repeating: 0x61, count: Limits.maxPayloadBytes))]).messages.count == 1)
    }

    @Test func aFragmentedOrLongControlFrameIs1002AtOnce() {
        #expect(Self.read([Self.frame(0x9, [1], fin: false)]).failure == .undecodable(.protocolError))
        #expect(Self.read([Self.frame(0x9, [UInt8](repeating: 1, count: 126))]).failure == .undecodable(.protocolError))
        #expect(Self.read([Self.frame(0x9, [UInt8](repeating: 1, count: 125))]).messages.count == 1)
    }

    @Test(arguments: [
        ClientMessageReaderTests.frame(0x1, [0x61], masked: false), ClientMessageReaderTests.frame(0x1, [0x61], rsv: 0x4),
        ClientMessageReaderTests.frame(0x3, [0x61]), ClientMessageReaderTests.frame(0xB, [0x61]),
    ])
    func aForbiddenFrameEndsTheReading(_ forbidden: [UInt8]) {
        var reader = ClientMessageReader()
        reader.append(ByteBuffer(bytes: forbidden + Self.frame(0x1, Array("after".utf8))))
        #expect(throws: ClientMessageReader.Failure.forbidden) { try reader.next() }
        reader.append(ByteBuffer(bytes: Self.frame(0x9, [])))
        #expect((try? reader.next()) == .some(nil))
    }

    @Test func aBrokenFragmentSequenceIs1002AndTheReadingGoesOn() {
        let stray = Self.read([Self.frame(0x0, [0x61]) + Self.frame(0x1, Array("ok".utf8))])
        #expect(stray.failure == .invalidMessage(.protocolError))
        let interrupted = Self.frame(0x1, [0x61], fin: false) + Self.frame(0x1, [0x62])
        #expect(Self.read([interrupted]).failure == .invalidMessage(.protocolError))
        // After a failure the fragments so far are gone, and the next message comes whole.
        var reader = ClientMessageReader()
        reader.append(ByteBuffer(bytes: Self.frame(0x0, [0x61]) + Self.frame(0x1, Array("ok".utf8))))
        #expect(throws: ClientMessageReader.Failure.invalidMessage(.protocolError)) { try reader.next() }
        #expect((try? reader.next()) == Self.text("ok"))
    }

    @Test func fragmentsOverTheMessageLimitAre1009() {
        let half = [UInt8](repeating: 0x61, count: Limits.maxPayloadBytes / 2)
        let exact = Self.frame(0x1, half, fin: false) + Self.frame(0x0, half)
        #expect(Self.read([exact]).messages.count == 1)
        let over = Self.frame(0x1, half, fin: false) + Self.frame(0x0, half + [0x61])
        #expect(Self.read([over]).failure == .invalidMessage(.messageTooLarge))
    }

    @Test func aMessageHasAtMost4096Fragments() {
        let first = Self.frame(0x1, [], fin: false)
        let middle = [UInt8](repeating: 0, count: ClientMessageReader.maxFragments - 2).flatMap { _ in Self.frame(0x0, [], fin: false) }
        #expect(Self.read([first + middle + Self.frame(0x0, [])]).messages == [Self.text("")])
        // A 4096th fragment that is not the last promises a 4097th.
        #expect(Self.read([first + middle + Self.frame(0x0, [], fin: false)]).failure == .invalidMessage(.protocolError))
    }
}
