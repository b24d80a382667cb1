import CEpoll
import Crypto
import Foundation
import Glibc
import Synchronization

/// The floor as the performance issue measured it: a bare epoll broadcaster on one thread,
/// written against the system calls alone — no SwiftNIO, no Hummingbird, no auth, JSON or
/// storage — that writes each delivery with a `write` of its own.
///
/// It speaks ``FloorServer``'s API, so the same load plans drive both: `GET /ws?channel=N`
/// upgrades and subscribes to channel N; `POST /publish?channel=N` sends its body as one text
/// frame to every subscriber of N and answers 204. A subscriber's close frame is answered and
/// its socket shut; a ping is answered with a pong; anything else it sends is read and ignored.
final class EpollBroadcastServer: @unchecked Sendable {
    /// The port it listens on (127.0.0.1).
    let port: Int
    private let listener: Int32
    /// Written by ``stop()`` to wake the loop.
    private let wakeup: Int32
    private let finished = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let hasFinished = Atomic<Bool>(false)

    // The loop's state: touched on its thread only.
    private var connections: [Int32: Connection] = [:]
    private var subscribers: [Int: [Int32]] = [:]
    private let epoll: Int32
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    /// Whether the listener is left out of the loop for want of files.
    private var acceptingPaused = false
    /// The last connection's generation.
    private var generations: UInt32 = 0

    private struct Connection {
        /// Which socket of this number it is: an event of one closed earlier in the same
        /// `epoll_wait` batch must not reach the next one given its number.
        let generation: UInt32
        var input: [UInt8] = []
        /// What the socket did not take yet; written when it is writable again.
        var output: [UInt8] = []
        /// The channel it subscribed to, once upgraded.
        var channel: Int?
        /// Shut once ``output`` is written.
        var closeWhenWritten = false
    }

    /// The WebSocket handshake's GUID (RFC 6455, section 1.3).
    private static let webSocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    /// A publish body larger than this is refused (the load posts a few dozen bytes).
    private static let largestBody = 1 << 16
    /// The most a socket may have waiting to be written, past what its kernel buffer holds.
    private let largestBacklog: Int

    /// Listens on 127.0.0.1, an ephemeral port, with `backlog`, and serves on a thread of its
    /// own until ``stop()``; a subscriber with more than `largestBacklog` bytes waiting for it
    /// (it stopped reading) is let go.
    static func start(backlog: Int32, largestBacklog: Int = 16 << 20) throws -> EpollBroadcastServer {
        let server = try EpollBroadcastServer(backlog: backlog, largestBacklog: largestBacklog)
        let thread = Thread { server.run() }
        thread.name = "pythia-bench epoll floor"
        thread.start()
        return server
    }

    private init(backlog: Int32, largestBacklog: Int) throws {
        self.largestBacklog = largestBacklog
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw Self.failure("socket") }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(listener, backlog) == 0 else {
            let failure = Self.failure("bind/listen")
            close(listener)
            throw failure
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        wakeup = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard wakeup >= 0, epoll >= 0 else {
            let failure = Self.failure("eventfd/epoll_create1")
            for fd in [listener, wakeup, epoll] where fd >= 0 { close(fd) }
            throw failure
        }
        watch(listener, events: EPOLLIN.rawValue, operation: EPOLL_CTL_ADD)
        watch(wakeup, events: EPOLLIN.rawValue, operation: EPOLL_CTL_ADD)
    }

    /// What `call` failed with, from `errno`: made before anything else can change it.
    private static func failure(_ call: String) -> BenchError {
        BenchError.targetFailed("the epoll floor server's \(call) failed: \(String(cString: strerror(errno)))")
    }

    /// Stops the loop, closes every socket, and returns once the thread is done.
    func stop() async {
        await withCheckedContinuation { continuation in
            finished.withLock { $0 = continuation }
            var one: UInt64 = 1
            _ = write(wakeup, &one, 8)
            // The loop may have ended (and looked for a continuation) before it was stored.
            if hasFinished.load(ordering: .acquiring) { finished.withLock { $0.take() }?.resume() }
        }
    }

    // MARK: The loop

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 1024)
        loop: while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), -1)
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            for event in events[0..<Int(count)] {
                let fd = Int32(truncatingIfNeeded: event.data.u64 & 0xFFFF_FFFF)
                let generation = UInt32(truncatingIfNeeded: event.data.u64 >> 32)
                if fd == wakeup { break loop }
                if fd == listener {
                    acceptAll()
                    continue
                }
                guard connections[fd]?.generation == generation else { continue }
                if event.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
                    drop(fd)
                    continue
                }
                if event.events & EPOLLOUT.rawValue != 0 { writePending(fd) }
                if event.events & EPOLLIN.rawValue != 0 { readAll(fd) }
            }
        }
        for fd in connections.keys { close(fd) }
        connections = [:]
        subscribers = [:]
        close(listener)
        close(epoll)
        close(wakeup)
        hasFinished.store(true, ordering: .releasing)
        finished.withLock { $0.take() }?.resume()
    }

    /// Adds or changes `fd`'s interest; its events carry `fd` and its connection's
    /// generation (0 for the listener and the wake-up).
    private func watch(_ fd: Int32, events: UInt32, operation: Int32) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = UInt64(connections[fd]?.generation ?? 0) << 32 | UInt64(UInt32(bitPattern: fd))
        epoll_ctl(epoll, operation, fd, &event)
    }

    private func acceptAll() {
        while true {
            let fd = cepoll_accept4(listener, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            guard fd >= 0 else {
                // Out of files: the listener would wake the loop again at once, for nothing,
                // until a socket closes; it is watched again then (``drop(_:)``).
                if errno == EMFILE || errno == ENFILE {
                    watch(listener, events: 0, operation: EPOLL_CTL_DEL)
                    acceptingPaused = true
                }
                return  // EAGAIN: all taken; anything else: the next wake-up tries again
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            generations &+= 1
            connections[fd] = Connection(generation: generations)
            watch(fd, events: EPOLLIN.rawValue, operation: EPOLL_CTL_ADD)
        }
    }

    private func readAll(_ fd: Int32) {
        while connections[fd] != nil {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { return drop(fd) }
            if count < 0 { break }
            connections[fd]?.input.append(contentsOf: chunk[0..<count])
            if count < chunk.count { break }
        }
        handleInput(fd)
    }

    private func handleInput(_ fd: Int32) {
        while let connection = connections[fd], !connection.closeWhenWritten {
            let handled = connection.channel == nil ? handleRequest(fd, connection.input) : handleFrame(fd, connection.input)
            guard handled > 0 else { return }
            connections[fd]?.input.removeFirst(handled)
        }
    }

    /// Handles one HTTP request at the front of `input`; the bytes it took, 0 if it is not
    /// whole yet.
    private func handleRequest(_ fd: Int32, _ input: [UInt8]) -> Int {
        guard let headerEnd = Self.headerEnd(in: input) else {
            if input.count > Self.largestBody { respond(fd, "431 Request Header Fields Too Large", close: true) }
            return 0
        }
        let lines = String(decoding: input[0..<headerEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard requestLine.count == 3, let channel = Self.channel(in: requestLine[1]) else {
            respond(fd, "400 Bad Request", close: true)
            return input.count
        }
        let length = Int(headers["content-length"] ?? "0") ?? -1
        guard (0...Self.largestBody).contains(length), headers["transfer-encoding"] == nil else {
            respond(fd, "400 Bad Request", close: true)
            return input.count
        }
        let total = headerEnd + 4 + length
        guard input.count >= total else { return 0 }
        switch (requestLine[0], requestLine[1].hasPrefix("/ws?")) {
        case ("GET", true):
            guard let key = headers["sec-websocket-key"] else {
                respond(fd, "400 Bad Request", close: true)
                return total
            }
            let accept = Data(Insecure.SHA1.hash(data: Data((key + Self.webSocketGUID).utf8))).base64EncodedString()
            send(fd, Array(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(accept)\r\n\r\n").utf8))
            connections[fd]?.channel = channel
            subscribers[channel, default: []].append(fd)
        case ("POST", false) where requestLine[1].hasPrefix("/publish?"):
            broadcast(Self.textFrame(input[(headerEnd + 4)..<total]), to: channel)
            respond(fd, "204 No Content", close: false)
        default:
            respond(fd, "404 Not Found", close: true)
        }
        return total
    }

    /// Handles one client frame at the front of `input`; the bytes it took, 0 if it is not
    /// whole yet.
    private func handleFrame(_ fd: Int32, _ input: [UInt8]) -> Int {
        guard input.count >= 2 else { return 0 }
        let opcode = input[0] & 0x0F
        let masked = input[1] & 0x80 != 0
        var length = Int(input[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard input.count >= 4 else { return 0 }
            length = Int(input[2]) << 8 | Int(input[3])
            offset = 4
        } else if length == 127 {
            guard input.count >= 10 else { return 0 }
            let value = input[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard value <= UInt64(Self.largestBody) else {
                drop(fd)
                return 0
            }
            length = Int(value)
            offset = 10
        }
        let maskOffset = offset
        if masked { offset += 4 }
        guard input.count >= offset + length else { return 0 }
        var payload = Array(input[offset..<(offset + length)])
        if masked {
            for index in payload.indices { payload[index] ^= input[maskOffset + index % 4] }
        }
        switch opcode {
        case 0x8:
            send(fd, [0x88, 0x02, 0x03, 0xE8])
            finish(fd)
        case 0x9:
            send(fd, Self.frame(opcode: 0xA, payload: payload[...]))
        default:
            break
        }
        return offset + length
    }

    private func respond(_ fd: Int32, _ status: String, close: Bool) {
        send(fd, Array("HTTP/1.1 \(status)\r\nContent-Length: 0\r\n\(close ? "Connection: close\r\n" : "")\r\n".utf8))
        if close { finish(fd) }
    }

    /// Writes `frame` to every subscriber of `channel`, each with a system call of its own.
    private func broadcast(_ frame: [UInt8], to channel: Int) {
        for fd in subscribers[channel] ?? [] { send(fd, frame) }
    }

    // MARK: Writing

    private func send(_ fd: Int32, _ bytes: [UInt8]) {
        guard let connection = connections[fd] else { return }
        guard connection.output.isEmpty else {
            // A peer that stopped reading is let go rather than buffered for without end.
            guard connection.output.count + bytes.count <= largestBacklog else { return drop(fd) }
            connections[fd]?.output.append(contentsOf: bytes)
            return
        }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written == bytes.count { return }
        if written < 0, errno != EAGAIN, errno != EINTR { return drop(fd) }
        connections[fd]?.output = Array(bytes[max(written, 0)...])
        watch(fd, events: EPOLLIN.rawValue | EPOLLOUT.rawValue, operation: EPOLL_CTL_MOD)
    }

    private func writePending(_ fd: Int32) {
        guard let output = connections[fd]?.output, !output.isEmpty else { return }
        let written = output.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written < 0 {
            if errno != EAGAIN, errno != EINTR { drop(fd) }
            return
        }
        connections[fd]?.output.removeFirst(written)
        guard connections[fd]?.output.isEmpty == true else { return }
        if connections[fd]?.closeWhenWritten == true { return drop(fd) }
        watch(fd, events: EPOLLIN.rawValue, operation: EPOLL_CTL_MOD)
    }

    /// Shuts `fd` once what it was sent is written.
    private func finish(_ fd: Int32) {
        guard connections[fd] != nil else { return }
        if connections[fd]?.output.isEmpty == true { return drop(fd) }
        connections[fd]?.closeWhenWritten = true
    }

    private func drop(_ fd: Int32) {
        guard let connection = connections.removeValue(forKey: fd) else { return }
        if let channel = connection.channel { subscribers[channel]?.removeAll { $0 == fd } }
        close(fd)
        if acceptingPaused {
            acceptingPaused = false
            watch(listener, events: EPOLLIN.rawValue, operation: EPOLL_CTL_ADD)
        }
    }

    // MARK: Parsing and framing

    private static func headerEnd(in input: [UInt8]) -> Int? {
        guard input.count >= 4 else { return nil }
        for index in 0...(input.count - 4)
        where input[index] == 13 && input[index + 1] == 10 && input[index + 2] == 13 && input[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// N of `…?channel=N`.
    private static func channel(in target: Substring) -> Int? {
        guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("channel=") {
            return Int(pair.dropFirst("channel=".count))
        }
        return nil
    }

    private static func textFrame(_ payload: ArraySlice<UInt8>) -> [UInt8] {
        frame(opcode: 0x1, payload: payload)
    }

    private static func frame(opcode: UInt8, payload: ArraySlice<UInt8>) -> [UInt8] {
        var frame: [UInt8] = [0x80 | opcode]
        switch payload.count {
        case ..<126:
            frame.append(UInt8(payload.count))
        case ..<65_536:
            frame += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            frame.append(127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        frame += payload
        return frame
    }
}
