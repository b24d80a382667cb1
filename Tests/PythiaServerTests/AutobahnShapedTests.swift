import Foundation
@testable import PythiaServer
import PythiaTestSupport
import Testing

/// RFC 6455 against the real server, case by case in the shape of Autobahn|Testsuite's
/// sections 1–7 (Autobahn itself cannot run here). Every case opens its own socket; a case
/// that expects an answer sends a JSON `ping` text frame and expects its `pong`.
@Suite("RFC 6455 (Autobahn sections 1–7)")
struct AutobahnShapedTests {
    private static let text: UInt8 = 0x1, binary: UInt8 = 0x2, continuation: UInt8 = 0x0
    private static let close: UInt8 = 0x8, ping: UInt8 = 0x9, pong: UInt8 = 0xA

    /// The server with one user, and a socket of theirs past `connection_established`.
    private struct Peer: TestFixture {
        let server: TestServer
        let token: String

        static func start() async throws -> Peer {
            let server = try await TestServer.start { $0.frameRate = RateLimit(perSecond: 10_000, burst: 10_000) }
            return Peer(server: server, token: try await server.user("autobahn").token)
        }

        func tearDown() async { await server.stop() }

        func socket() async throws -> RawWebSocket {
            let socket = try await RawWebSocket.connect(port: server.server.port, token: token)
            #expect(await socket.nextFrameSkippingPings()?.opcode == AutobahnShapedTests.text, "connection_established")
            return socket
        }

        /// Sends `frames` on a new socket; the close code the server answers with.
        func closeCode(after frames: [[UInt8]]) async throws -> UInt16? {
            let socket = try await self.socket()
            for frame in frames { socket.sendRaw(frame) }
            return await socket.closeCode()
        }
    }

    /// A JSON `ping` of exactly `length` bytes (at least 29), padded with `x`.
    private static func pingText(length: Int) -> [UInt8] {
        let head = Array(#"{"type":"ping","pad":""#.utf8), tail = Array(#""}"#.utf8)
        return head + Array(repeating: UInt8(ascii: "x"), count: length - head.count - tail.count) + tail
    }

    private static func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0) -> [UInt8] {
        RawWebSocket.frame(opcode: opcode, payload: payload, fin: fin, rsv: rsv)
    }

    /// The socket's next text frame is the `pong` answering a JSON `ping`.
    private static func expectPong(_ socket: RawWebSocket, sourceLocation: SourceLocation = #_sourceLocation) async {
        let frame = await socket.nextFrameSkippingPings()
        #expect(frame?.opcode == text && String(decoding: frame?.payload ?? [], as: UTF8.self).contains(#""pong""#),
                "expected a pong, got \(String(describing: frame))", sourceLocation: sourceLocation)
    }

    // MARK: 1 Framing

    @Test func section1TextLengthsUpToTheLimitAreAnsweredAndOneMoreIs1009() async throws {
        try await Peer.start().whileRunning { peer in
            let socket = try await peer.socket()
            // 1.1.1: empty text is not JSON: an error frame, the socket stays open.
            socket.sendRaw(Self.frame(Self.text, []))
            #expect(String(decoding: await socket.nextFrameSkippingPings()?.payload ?? [], as: UTF8.self).contains("invalid_json"))
            // 1.1.2–1.1.8: lengths around the 7-bit, 16-bit and 64-bit length encodings, up to 64 KiB.
            for length in [125, 126, 127, 128, 65_535, 65_536] {
                socket.sendRaw(Self.frame(Self.text, Self.pingText(length: length)))
                await Self.expectPong(socket)
            }
            #expect(try await peer.closeCode(after: [Self.frame(Self.text, Self.pingText(length: 65_537))]) == 1009)
            // 1.2: binary messages are not part of the protocol.
            #expect(try await peer.closeCode(after: [Self.frame(Self.binary, [1, 2, 3])]) == 1003)
            #expect(try await peer.closeCode(after: [Self.frame(Self.binary, [])]) == 1003)
        }
    }

    // MARK: 2 Pings and pongs

    @Test func section2PingsAreAnsweredWithTheirPayloadAndBadOnesAre1002() async throws {
        try await Peer.start().whileRunning { peer in
            let socket = try await peer.socket()
            // 2.1–2.3: empty, text and binary payloads; 2.4: 125 bytes.
            for payload in [[], Array("Hello, world!".utf8), [0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB], Array(repeating: 0xFE, count: 125)] as [[UInt8]] {
                socket.sendRaw(Self.frame(Self.ping, payload))
                #expect(await socket.nextFrameSkippingPings() == .init(fin: true, opcode: Self.pong, payload: payload))
            }
            // 2.6: ten pings in a row, ten pongs in order.
            for number in 0..<10 { socket.sendRaw(Self.frame(Self.ping, [UInt8(number)])) }
            for number in 0..<10 { #expect(await socket.nextFrameSkippingPings()?.payload == [UInt8(number)]) }
            // 2.7–2.8: unsolicited pongs are ignored.
            socket.sendRaw(Self.frame(Self.pong, []))
            socket.sendRaw(Self.frame(Self.pong, Array("unsolicited".utf8)))
            socket.sendRaw(Self.frame(Self.text, Self.pingText(length: 40)))
            await Self.expectPong(socket)
            // 2.5: a control frame over 125 bytes; a fragmented ping.
            #expect(try await peer.closeCode(after: [Self.frame(Self.ping, Array(repeating: 0xFE, count: 126))]) == 1002)
            #expect(try await peer.closeCode(after: [Self.frame(Self.ping, [1], fin: false)]) == 1002)
        }
    }

    // MARK: 3 Reserved bits

    @Test(arguments: 1...7)
    func section3ReservedBitsAre1002(rsv: Int) async throws {
        try await Peer.start().whileRunning { peer throws in
            let rsv = UInt8(rsv)
            #expect(try await peer.closeCode(after: [Self.frame(Self.text, Self.pingText(length: 40), rsv: rsv)]) == 1002)
            #expect(try await peer.closeCode(after: [Self.frame(Self.ping, [1], rsv: rsv)]) == 1002)
            #expect(try await peer.closeCode(after: [Self.frame(Self.text, [0x7B], fin: false), Self.frame(Self.continuation, [0x7D], rsv: rsv)]) == 1002)
        }
    }

    // MARK: 4 Opcodes

    @Test func section4ReservedOpcodesAre1002() async throws {
        try await Peer.start().whileRunning { peer throws in
            for opcode in [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8] {
                #expect(try await peer.closeCode(after: [Self.frame(opcode, [])]) == 1002, "opcode \(opcode)")
                #expect(try await peer.closeCode(after: [Self.frame(opcode, [1, 2, 3])]) == 1002, "opcode \(opcode) with payload")
            }
        }
    }

    // MARK: 5 Fragmentation

    @Test func section5FragmentsWithControlFramesBetweenAndBrokenSequences() async throws {
        try await Peer.start().whileRunning { peer in
            let message = Self.pingText(length: 40)
            let socket = try await peer.socket()
            // 5.3: two fragments.
            socket.sendRaw(Self.frame(Self.text, Array(message[..<10]), fin: false) + Self.frame(Self.continuation, Array(message[10...])))
            await Self.expectPong(socket)
            // 5.6–5.8: a ping between fragments is answered before the message is.
            socket.sendRaw(Self.frame(Self.text, Array(message[..<10]), fin: false))
            socket.sendRaw(Self.frame(Self.ping, Array("between".utf8)))
            socket.sendRaw(Self.frame(Self.continuation, Array(message[10...])))
            #expect(await socket.nextFrameSkippingPings() == .init(fin: true, opcode: Self.pong, payload: Array("between".utf8)))
            await Self.expectPong(socket)
            // 5.9–5.10: an unsolicited pong between fragments is ignored.
            socket.sendRaw(Self.frame(Self.text, Array(message[..<10]), fin: false) + Self.frame(Self.pong, [])
                + Self.frame(Self.continuation, Array(message[10...])))
            await Self.expectPong(socket)
            // 5.19–5.20: one byte a fragment.
            socket.sendRaw(message.indices.flatMap { index in
                Self.frame(index == 0 ? Self.text : Self.continuation, [message[index]], fin: index == message.count - 1)
            })
            await Self.expectPong(socket)
            // 5.9–5.18: a continuation with nothing to continue, a new message inside one.
            #expect(try await peer.closeCode(after: [Self.frame(Self.continuation, message)]) == 1002)
            #expect(try await peer.closeCode(after: [Self.frame(Self.continuation, message, fin: false)]) == 1002)
            #expect(try await peer.closeCode(after: [Self.frame(Self.text, [0x7B], fin: false), Self.frame(Self.text, message)]) == 1002)
            // 5.1–5.2: a fragmented control frame.
            #expect(try await peer.closeCode(after: [Self.frame(Self.close, [0x03, 0xE8], fin: false)]) == 1002)
        }
    }

    // MARK: 6 UTF-8

    @Test func section6TextMustBeUTF8WholeOrSplitAcrossFragments() async throws {
        try await Peer.start().whileRunning { peer in
            let valid = Array(#"{"type":"ping","pad":"κόσμε 𝄞 ☃"}"#.utf8)
            let socket = try await peer.socket()
            // 6.2: valid multi-byte text, whole and split inside a code point.
            socket.sendRaw(Self.frame(Self.text, valid))
            await Self.expectPong(socket)
            let split = valid.firstIndex(of: 0xCE).map { $0 + 1 } ?? 1
            socket.sendRaw(Self.frame(Self.text, Array(valid[..<split]), fin: false) + Self.frame(Self.continuation, Array(valid[split...])))
            await Self.expectPong(socket)
            // 6.3–6.21: invalid sequences: a lone continuation byte, an overlong encoding, a
            // surrogate, a code point past U+10FFFF, a truncated sequence.
            for bad in [[0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xCE]] as [[UInt8]] {
                let payload = Array(#"{"type":"ping","pad":""#.utf8) + bad + Array(#""}"#.utf8)
                #expect(try await peer.closeCode(after: [Self.frame(Self.text, payload)]) == 1007, "\(bad)")
                // The same, split across fragments just before the bad bytes.
                let cut = payload.count - bad.count - 2
                #expect(try await peer.closeCode(after: [
                    Self.frame(Self.text, Array(payload[..<cut]), fin: false), Self.frame(Self.continuation, Array(payload[cut...])),
                ]) == 1007, "\(bad) fragmented")
            }
        }
    }

    // MARK: 7 Close

    @Test func section7CloseCodesAndReasons() async throws {
        try await Peer.start().whileRunning { peer in
            func close(code: UInt16, reason: [UInt8] = []) -> [UInt8] {
                Self.frame(Self.close, [UInt8(code >> 8), UInt8(code & 0xFF)] + reason)
            }
            // 7.1: a close with no payload is answered with a 1000, and the socket then shut.
            let socket = try await peer.socket()
            socket.sendRaw(Self.frame(Self.close, []))
            #expect(await socket.closeCode() == 1000)
            #expect(await socket.nextFrame() == nil)
            // 7.3: a 1-byte payload; 7.3.4–7.3.6: a reason of 123 bytes, one that is not UTF-8.
            #expect(try await peer.closeCode(after: [Self.frame(Self.close, [0x03])]) == 1002)
            #expect(try await peer.closeCode(after: [close(code: 1000, reason: Array(repeating: 0x2A, count: 123))]) == 1000)
            #expect(try await peer.closeCode(after: [close(code: 1000, reason: Array("ok κόσμε".utf8))]) == 1000)
            #expect(try await peer.closeCode(after: [close(code: 1000, reason: [0xCE, 0xBA, 0xE1, 0xBD])]) == 1002)
            // 7.7: codes an endpoint may send are answered with 1000.
            for code in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999] as [UInt16] {
                #expect(try await peer.closeCode(after: [close(code: code)]) == 1000, "code \(code)")
            }
            // 7.9: codes no endpoint may send.
            for code in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65_535] as [UInt16] {
                #expect(try await peer.closeCode(after: [close(code: code)]) == 1002, "code \(code)")
            }
            // 7.1.3–7.1.6: frames after the close are ignored.
            let late = try await peer.socket()
            late.sendRaw(close(code: 1000) + Self.frame(Self.text, Self.pingText(length: 40)) + Self.frame(Self.ping, [1]))
            #expect(await late.nextFrameSkippingPings() == .init(fin: true, opcode: Self.close, payload: [0x03, 0xE8]))
            #expect(await late.nextFrame() == nil)
        }
    }
}
